/**
 * The worker side of a parallel parse (see parallel-parse.ts): parses its part of the file
 * and hands back the columns (transferred, not copied) and the validator's tally, or the
 * error and the tally up to it. Then it raises the shared flag the main thread waits on.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { PartError, parseJsonlPart } from './parse-jsonl.ts';
import type { ByteRange } from './lines.ts';

const { path, range, port, flag } = workerData as { path: string; range: ByteRange; port: MessagePort; flag: SharedArrayBuffer };
const signal = new Int32Array(flag);

try {
  const { dataset, tally } = parseJsonlPart(path, { range });
  const buffers = Object.values(dataset.cols).map((c) => (c as ArrayBufferView).buffer as ArrayBuffer);
  port.postMessage({ ok: true, cols: dataset.cols, meta: dataset.meta, tally }, [...new Set(buffers)]);
} catch (err) {
  const cause = err instanceof PartError ? err.original : err;
  const tally = err instanceof PartError ? err.tally : undefined;
  port.postMessage({ ok: false, message: (cause as Error)?.message ?? String(cause), user: (cause as Error)?.name === 'UserError', tally });
}
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
port.close();
