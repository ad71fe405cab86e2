// A unified diff side by side: the cluster on the left, Git on the right, YAML highlighted.
import { useMemo } from 'preact/hooks';
import { highlightHtml } from '../highlight.js';
import { splitDiff, type DiffCell } from '../split-diff.js';

export function SplitDiff({ diff }: { readonly diff: string }) {
  const rows = useMemo(() => splitDiff(diff), [diff]);
  return (
    <div class="split-scroll">
      <table class="split-diff hljs">
        <colgroup>
          <col class="line-number" />
          <col />
          <col class="line-number" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={2}>Cluster</th>
            <th colSpan={2}>Git</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) =>
            row.type === 'hunk' ? (
              <tr key={index} class="hunk">
                <td colSpan={4}>{row.header}</td>
              </tr>
            ) : (
              <tr key={index}>
                <Cell cell={row.left} />
                <Cell cell={row.right} />
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ cell }: { readonly cell: DiffCell | undefined }) {
  if (cell === undefined) {
    return (
      <>
        <td class="line-number empty-side" />
        <td class="empty-side" />
      </>
    );
  }
  return (
    <>
      <td class={`line-number ${cell.change}`}>{cell.number}</td>
      <td class={`code-cell ${cell.change}`} dangerouslySetInnerHTML={{ __html: highlightHtml(cell.text, 'yaml') }} />
    </>
  );
}
