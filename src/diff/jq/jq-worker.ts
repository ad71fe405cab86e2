// The jq worker thread (started by JqRunner): runs one program at a time in jq's WebAssembly
// build and answers with plain data. A program that loops or grows without end is stopped by
// the runner terminating this thread; jq's own memory is capped by its build (256 MiB).
import { parentPort } from 'node:worker_threads';
import { JqError, loadJq } from 'jq-wasm';
import { JQ_READY, type JqJob, type JqReply } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('jq-worker.ts runs as a worker thread of JqRunner');

// jq's runtime writes to console.error ("Aborted()" when it stops, which is an outcome here, not a
// line for the controller's log); nothing else in this thread writes there.
console.error = () => undefined;
const jq = await loadJq();

port.on('message', (job: JqJob) => {
  try {
    port.postMessage({ id: job.id, outputs: jq.json(job.input, job.program, ['-c']) } satisfies JqReply);
  } catch (err) {
    if (err instanceof JqError) {
      port.postMessage({ id: job.id, error: err.stderr, fatal: false } satisfies JqReply);
      return;
    }
    // An abort of the WebAssembly instance (out of memory): it is unusable from now on.
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err), fatal: true } satisfies JqReply);
    port.close();
  }
});

port.postMessage(JQ_READY);
