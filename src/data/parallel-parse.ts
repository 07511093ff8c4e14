/**
 * Parsing a large JSON Lines file on two cores: the main thread parses the first half while a
 * worker thread parses the second, then the two are joined. The result, the warnings and
 * every error message are those of a parse in one piece: the worker's part knows the number
 * of its first line, the block order is checked across the seam, and when both halves fail
 * the error reported is the one earlier in the file.
 *
 * Synchronous on purpose (loading a dataset is): the main thread blocks on a shared flag and
 * takes the worker's message off its port with receiveMessageOnPort.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { UserError } from '../core/errors.ts';
import { Dataset, concatDatasets, type DatasetColumns, type DatasetMeta } from './dataset.ts';
import { countLines, lineStartAfter } from './lines.ts';
import { parseJsonlPart } from './parse-jsonl.ts';
import { blockOrderError, mergeTallies, warningsOf, type ValidatorTally } from './validate.ts';

type WorkerReply =
  | { ok: true; cols: DatasetColumns; meta: DatasetMeta; tally: ValidatorTally }
  | { ok: false; message: string; user: boolean; tally: ValidatorTally | undefined };

/** Parses `path` (JSON Lines, `size` bytes) in two halves; the caller decides it is worth it. */
export function parseJsonlInHalves(path: string, size: number, onProgress?: (read: number, total: number) => void): { dataset: Dataset; tally: ValidatorTally } {
  const seam = lineStartAfter(path, Math.floor(size / 2));
  if (seam <= 0 || seam >= size) {
    const whole = parseJsonlPart(path, { onChunk: progressOf(size, onProgress, 1) });
    return whole;
  }
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
    workerData: { path, range: { start: seam, end: size, firstLine: countLines(path, seam) + 1 }, port: port2, flag },
    transferList: [port2],
  });
  worker.unref();
  let first;
  try {
    // The first half here, reporting progress for both (they go at about the same pace).
    first = parseJsonlPart(path, { range: { start: 0, end: seam, firstLine: 1 }, onChunk: progressOf(size, onProgress, 2) });
  } catch (err) {
    void worker.terminate();
    throw err; // an error in the first half is the earliest in the file
  }
  const signal = new Int32Array(flag);
  while (Atomics.load(signal, 0) === 0) Atomics.wait(signal, 0, 0, 1000);
  const reply = receiveMessageOnPort(port1)?.message as WorkerReply | undefined;
  port1.close();
  if (!reply) throw new Error(`the parse of the second half of ${path} ended without an answer`);
  const a = first.tally.span;
  // The seam: the second half's first snapshot must follow the first half's last one. Its
  // line comes before any error the second half met after accepting it.
  const b = reply.tally?.span;
  if (a && b && b.firstBlock <= a.lastBlock) throw blockOrderError(path, b.firstLine, b.firstBlock, a.lastBlock, a.lastLine);
  if (!reply.ok) {
    if (!reply.user) throw new Error(`parsing the second half of ${path} failed: ${reply.message}`);
    throw new UserError(reply.message);
  }
  const secondData = new Dataset(reply.cols, reply.meta);
  const tally = mergeTallies(first.tally, reply.tally);
  const dataset = concatDatasets(first.dataset, secondData);
  dataset.meta.warnings.length = 0;
  dataset.meta.warnings.push(...warningsOf(path, tally));
  return { dataset, tally };
}

function progressOf(size: number, onProgress: ((read: number, total: number) => void) | undefined, factor: number): ((b: Buffer) => void) | undefined {
  if (!onProgress) return undefined;
  let read = 0;
  return (b: Buffer) => {
    read += b.length;
    onProgress(Math.min(size, read * factor), size);
  };
}
