// The CommandIO the shared CLI code (diff, plugins) writes notes to: lines become log entries.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { CommandIO } from '../cli/output/io.js';

const lines = (write: (line: string) => void): Writable => new Writable({
  write(chunk: Buffer | string, _encoding, done): void {
    for (const line of String(chunk).split('\n')) if (line.trim() !== '') write(line);
    done();
  },
});

export function loggingIO(logger: Logger): CommandIO {
  return {
    out: lines((line) => { logger.debug({ note: line }, 'dashboard'); }),
    err: lines((line) => { logger.info({ note: line }, 'dashboard'); }),
    stdin: process.stdin,
    env: process.env,
    setExitCode: () => undefined,
  };
}
