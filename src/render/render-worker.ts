// The render worker thread (started by RenderPool): renders one request at a time and answers
// with plain data. Whatever a source does to this thread's memory or time ends here: the pool
// stops the thread and starts another.
import { parentPort, workerData } from 'node:worker_threads';
import { renderSerialized } from './serialized.js';
import { READY_MESSAGE, type RenderJob, type RenderReply, type RenderWorkerData } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('render-worker.ts runs as a worker thread of RenderPool');
const { limits } = workerData as RenderWorkerData;

port.on('message', (job: RenderJob) => {
  renderSerialized(job.request, { limits }).then(
    (result) => {
      port.postMessage({ id: job.id, result } satisfies RenderReply);
    },
    (err: unknown) => {
      port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies RenderReply);
    },
  );
});

port.postMessage(READY_MESSAGE);
