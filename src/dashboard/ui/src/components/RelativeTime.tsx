// A time as "3m ago", the time itself in the title.
import { relativeTime } from '../relative-time.js';

export function RelativeTime({ iso, now }: { readonly iso: string | undefined; readonly now: number }) {
  if (iso === undefined || iso === '') return <span class="muted">never</span>;
  return (
    <time dateTime={iso} title={iso}>
      {relativeTime(iso, now)}
    </time>
  );
}
