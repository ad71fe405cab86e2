// Test support (not built into dist/): a CommandIO whose output is kept in memory.
import { PassThrough, Writable } from 'node:stream';
import type { CommandIO } from '../io.js';

/** A writable stream that keeps what was written; `text()` returns it. */
export class TextSink extends Writable {
  private readonly chunks: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    callback();
  }

  text(): string {
    return this.chunks.join('');
  }
}

export interface CapturedIO extends CommandIO {
  readonly out: TextSink;
  readonly err: TextSink;
  /** The last exit code set, or undefined when none was. */
  exitCode(): number | undefined;
}

export interface CaptureOptions {
  /** What the command reads from stdin (default: nothing). */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
}

export function captureIO(options: CaptureOptions = {}): CapturedIO {
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  let code: number | undefined;
  return {
    out: new TextSink(),
    err: new TextSink(),
    stdin,
    env: options.env ?? {},
    setExitCode: (value) => {
      code = value;
    },
    exitCode: () => code,
  };
}
