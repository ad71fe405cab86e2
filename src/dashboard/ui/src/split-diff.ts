// Side-by-side rows from a unified diff (cluster "-" on the left, Git "+" on the right): within
// each hunk, a run of removed lines is paired line by line with the run of added lines after it.

export interface DiffCell {
  /** The line's number in its side's file. */
  readonly number: number;
  readonly text: string;
  readonly change: 'context' | 'removed' | 'added';
}

export type SplitRow =
  | { readonly type: 'hunk'; readonly header: string }
  | { readonly type: 'line'; readonly left?: DiffCell; readonly right?: DiffCell };

const hunkHeader = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function splitDiff(unified: string): SplitRow[] {
  const rows: SplitRow[] = [];
  let removed: DiffCell[] = [];
  let added: DiffCell[] = [];
  let leftNumber = 0;
  let rightNumber = 0;
  const flush = (): void => {
    const count = Math.max(removed.length, added.length);
    for (let i = 0; i < count; i++) rows.push(pairRow(removed[i], added[i]));
    removed = [];
    added = [];
  };
  for (const line of unified.split('\n')) {
    const header = hunkHeader.exec(line);
    if (header !== null) {
      flush();
      leftNumber = Number(header[1]);
      rightNumber = Number(header[2]);
      rows.push({ type: 'hunk', header: line });
    } else if (rows.length === 0 || line.startsWith('\\')) {
      // File headers (--- live/…, +++ git/…) before the first hunk; "\ No newline at end of file".
      continue;
    } else if (line.startsWith('-')) {
      removed.push({ number: leftNumber++, text: line.slice(1), change: 'removed' });
    } else if (line.startsWith('+')) {
      added.push({ number: rightNumber++, text: line.slice(1), change: 'added' });
    } else if (line.startsWith(' ')) {
      flush();
      const text = line.slice(1);
      rows.push({ type: 'line', left: { number: leftNumber++, text, change: 'context' }, right: { number: rightNumber++, text, change: 'context' } });
    }
  }
  flush();
  return rows;
}

function pairRow(left: DiffCell | undefined, right: DiffCell | undefined): SplitRow {
  if (left === undefined) return right === undefined ? { type: 'line' } : { type: 'line', right };
  return right === undefined ? { type: 'line', left } : { type: 'line', left, right };
}
