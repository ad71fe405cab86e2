// Server-sent events as a hook: each `message` event's JSON, read by `read`, handed to a callback; and whether
// the stream is (re)connecting. EventSource reconnects by itself after a dropped connection;
// when it gives up (an HTTP error answer), this opens a new one after a pause.
import { useEffect, useRef, useState } from 'preact/hooks';

export type StreamState = 'connecting' | 'open' | 'reconnecting';

const retryAfterMs = 5000;

export function useEventStream<T>(url: string | undefined, read: (data: unknown) => T | undefined, onEvent: (event: T) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (url === undefined) return undefined;
    let source: EventSource | undefined;
    let retry: number | undefined;
    let stopped = false;
    const open = (): void => {
      source = new EventSource(url);
      source.onopen = () => {
        setState('open');
      };
      source.onmessage = (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const event = read(data);
        if (event !== undefined) handler.current(event);
      };
      source.onerror = () => {
        setState('reconnecting');
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = window.setTimeout(open, retryAfterMs);
        }
      };
    };
    setState('connecting');
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, [url, read]);
  return state;
}
