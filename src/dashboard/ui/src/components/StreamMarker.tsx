// A small marker while a live stream (re)connects.
import type { StreamState } from '../sse.js';

export function StreamMarker({ state }: { readonly state: StreamState }) {
  switch (state) {
    case 'open':
      return (
        <span class="stream live" title="Live updates">
          live
        </span>
      );
    case 'connecting':
      return <span class="stream connecting">connecting…</span>;
    case 'reconnecting':
      return (
        <span class="stream reconnecting" data-testid="reconnecting" title="The stream of updates was interrupted; the browser connects again by itself">
          reconnecting…
        </span>
      );
  }
}
