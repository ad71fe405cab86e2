/** A client that writes raw bytes to the webhook server and records what comes back, for hostile-request tests. */
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  text(): string;
  /** The status codes of the responses received so far, in order. */
  statuses(): number[];
  /** Resolves with the milliseconds from connect to close, once the server has closed (or reset) the connection. */
  readonly closed: Promise<number>;
  /** Resolves once `n` responses (or a close) have arrived. */
  responses(n: number): Promise<number[]>;
  write(data: string | Buffer): void;
}

/** Connects and writes `data` (headers and any part of a body); the connection stays open until the server closes it. */
export function rawExchange(port: number, data: string | Buffer = ''): RawExchange {
  const socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let received = '';
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const wake of waiters.splice(0)) wake();
  };
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    notify();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => {
    socket.once('close', () => {
      notify();
      resolve(performance.now() - started);
    });
  });
  const statuses = (): number[] => parseStatuses(received);
  if (data.length > 0) socket.write(data);
  return {
    socket,
    text: () => received,
    statuses,
    closed,
    responses: async (n) => {
      while (statuses().filter((s) => s !== 100).length < n && !socket.destroyed) await new Promise<void>((wake) => waiters.push(wake));
      return statuses();
    },
    write: (more) => {
      socket.write(more);
    },
  };
}

/** The head of a POST to /api/webhook with these headers. */
export function requestHead(headers: Readonly<Record<string, string>>): string {
  const lines = Object.entries({ host: 'capstan.test', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `POST /api/webhook HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** The status codes of the complete or started responses in `text`, skipping each body by its Content-Length. */
function parseStatuses(text: string): number[] {
  const found: number[] = [];
  let at = 0;
  for (;;) {
    const match = /^HTTP\/1\.1 (\d{3}) /.exec(text.slice(at, at + 13));
    if (match === null) return found;
    found.push(Number(match[1]));
    const headEnd = text.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return found;
    const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(at, headEnd));
    at = headEnd + 4 + Number(length?.[1] ?? 0);
  }
}
