// A small marker while a live stream (re)connects.
import type { StreamState } from '../sse.js';

export function StreamMarker({ state }: { readonly state: StreamState }) {
  if (state === 'open') return <span class="stream live" title="Live updates">live</span>;
  return (
    <span class="stream reconnecting" data-testid="reconnecting" title="Waiting for the server's stream">
      {state === 'connecting' ? 'connecting…' : 'reconnecting…'}
    </span>
  );
}
