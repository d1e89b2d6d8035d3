/**
 * The worker of arrow-sandbox.ts: decodes one whole file as Arrow IPC, touching every batch of
 * every column, and answers `{ ok }`, or `{ ok: false, reason }` when the decode throws.
 * Running out of its heap or its time is seen by the parent, which stops it.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';
import { guardFlatbuffers } from './flatbuffer-bounds.js';

guardFlatbuffers();
const { file } = workerData as { file: string };

try {
  const table = tableFromIPC(readFileSync(file));
  for (const field of table.schema.fields) {
    for (const data of table.getChild(field.name)?.data ?? []) void data.nullCount;
  }
  parentPort?.postMessage({ ok: true });
} catch (err) {
  parentPort?.postMessage({ ok: false, reason: (err as Error).message.slice(0, 200) });
}
