/**
 * What a command reads from and writes to. Commands take it as a parameter so tests run them in-process and read
 * what they printed; the real CLI passes processIO().
 */
export interface CommandIO {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Records the process's exit code without exiting, so pending output is still written. */
  setExitCode(code: number): void;
}

export function processIO(): CommandIO {
  return {
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
    env: process.env,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** All of a stream's text (for `-f -`). */
export async function readAllText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
