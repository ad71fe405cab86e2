// The jq worker thread (started by JqRunner): runs one program at a time in jq's WebAssembly
// build and answers with plain data. A program that loops or grows without end is stopped by
// the runner terminating this thread; jq's own memory is capped by its build (256 MiB).
import { JqError, loadJq } from 'jq-wasm';
import { serveJobs, WorkerJobError } from '../../worker/protocol.js';
import { isJqJob } from './worker-protocol.js';

// jq's runtime writes to console.error ("Aborted()" when it stops, which is an outcome here, not a
// line for the controller's log); nothing else in this thread writes there.
console.error = () => undefined;
const jq = await loadJq();

serveJobs((job) => {
  if (!isJqJob(job)) throw new Error('not a jq job');
  try {
    return jq.json(job.input, job.program, ['-c']);
  } catch (err) {
    if (err instanceof JqError) throw new WorkerJobError(err.stderr, false);
    // An abort of the WebAssembly instance (out of memory): it is unusable from now on.
    throw new WorkerJobError(err instanceof Error ? err.message : String(err), true);
  }
});
