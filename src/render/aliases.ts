// YAML aliases are bounded as go-yaml bounds them (the fix of CVE-2019-11253, which kubectl and
// the API server run): of the values a document is read into, only so many may come from
// expanding aliases. A small document may be made up almost entirely of aliases (99%), a large
// one less and less of them, down to 10% at four million values.

const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;

/** The share of a document's values that may come from aliases, once it has this many values. */
export function allowedAliasRatio(values: number): number {
  if (values <= RATIO_RANGE_LOW) return 0.99;
  if (values >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - (0.89 * (values - RATIO_RANGE_LOW)) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW);
}

/** Counts the values of one document as they are read, and those read through an alias. */
export class AliasCounter {
  /** Every value read, aliased or not. */
  values = 0;
  /** The values read through an alias. */
  aliased = 0;
  private depth = 0;

  /** Reading an alias's value starts. */
  enter(): void {
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Counts one value; true once aliases make up more of the document than allowed. */
  count(): boolean {
    this.values++;
    if (this.depth > 0) this.aliased++;
    return this.aliased > 100 && this.values > 1000 && this.aliased / this.values > allowedAliasRatio(this.values);
  }
}

export function excessiveAliasing(counter: AliasCounter): string {
  return `uses aliases excessively: ${counter.aliased} of the first ${counter.values} values read come from aliases`;
}
