// The Lua worker thread (started by LuaHealthRunner): runs one health script at a time in a
// LuaSandbox and answers with what it returned. A run that outlasts the sandbox's own limits
// (a long string match inside C) is stopped by the runner terminating this thread.
import { serveJobs, WorkerJobError } from '../../worker/protocol.js';
import { isLuaHealthJob } from './protocol.js';
import { LuaSandbox, LuaSandboxBroken, type LuaSandboxLimits } from './sandbox.js';

/** Inside the runner's hard limit (runner.ts), so that a plain loop ends as an error and the worker lives on. */
const limits: LuaSandboxLimits = { timeoutMs: 500, memoryBytes: 32 * 1024 * 1024 };
const sandbox = await LuaSandbox.create(limits);

serveJobs((job) => {
  if (!isLuaHealthJob(job)) throw new Error('not a Lua health job');
  try {
    return sandbox.run(job.source, job.openLibs, job.object);
  } catch (err) {
    if (err instanceof LuaSandboxBroken) throw new WorkerJobError(`the Lua state failed: ${err.message}`, true);
    throw err;
  }
});
