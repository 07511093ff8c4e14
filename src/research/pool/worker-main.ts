/**
 * The message loop of a research worker thread: builds its task handler once from the setup it
 * was started with (loading the dataset from the content-hash cache, the strategy by name or
 * path), then answers each task message with its result, or with the error it raised.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeHandler, serialiseError, type HandlerKind, type TaskMessage } from './handlers.ts';

const port = parentPort;
if (!port) throw new Error('worker-main.ts must run on a worker thread');
const { kind, setup } = workerData as { kind: HandlerKind; setup: unknown };
const handler = makeHandler(kind, setup);
handler.catch(() => {}); // reported with the first task instead

port.on('message', async (m: TaskMessage) => {
  try {
    const run = await handler;
    port.postMessage({ id: m.id, result: await run(m.task) });
  } catch (e) {
    port.postMessage({ id: m.id, error: serialiseError(e) });
  }
});
