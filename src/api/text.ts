/** Code-unit order, the same in every locale: the one string comparator of Capstan. */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
