import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request an HTTP receiver got, its body as the exact text sent. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the receiver answers a request with: a status, or a promise of one (held until it settles). */
export type Answer = (request: ReceivedRequest, index: number) => number | Promise<number>;

export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far, in the order they came. */
  readonly requests: ReceivedRequest[];
  /** Requests answered so far. */
  answered(): number;
  close(): Promise<void>;
}

/** An HTTP receiver on a loopback port that records each request and answers as told (200 by default). */
export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = requests.push(request) - 1;
      void Promise.resolve(answer(request, index)).then((status) => {
        answered++;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answered: () => answered,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
