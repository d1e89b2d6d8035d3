/**
 * Worker thread of the WASM XES import: reads an XES or XES.gz file and writes its inflated
 * bytes into the ring (ring-layout.ts), a slot at a time, waiting while the slot it needs is
 * still being scanned. The importing thread thus never spends time on inflating, on zlib's
 * callbacks, or on copying the bytes into the scanner's memory.
 * @internal
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { InflateGuard } from '../limits.js';
import {
  CONTROL_BYTES, dataAt, EMPTY, END, FAILED, FULL, type RingSetup, SLOT_DATA, SLOTS,
} from './ring-layout.js';

const setup = workerData as RingSetup;
const control = new Int32Array(setup.buffer, setup.control, CONTROL_BYTES / 4);
const compressedRead = new Float64Array(setup.buffer, setup.control + SLOTS * 8, 1);
const memory = new Uint8Array(setup.buffer);

let slot = 0;
let fill = 0;

/** Waits until slot `slot` may be written again. */
function waitEmpty(): void {
  while (Atomics.load(control, 2 * slot) !== EMPTY) {
    Atomics.wait(control, 2 * slot, Atomics.load(control, 2 * slot));
  }
}

function publish(state: number): void {
  control[2 * slot + 1] = fill;
  Atomics.store(control, 2 * slot, state);
  Atomics.notify(control, 2 * slot);
}

function put(chunk: Uint8Array): void {
  let from = 0;
  while (from < chunk.length) {
    const n = Math.min(SLOT_DATA - fill, chunk.length - from);
    memory.set(chunk.subarray(from, from + n), dataAt(setup.slots, slot) + fill);
    fill += n;
    from += n;
    if (fill === SLOT_DATA) {
      publish(FULL);
      slot = (slot + 1) % SLOTS;
      fill = 0;
      waitEmpty();
    }
  }
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

async function run(): Promise<void> {
  const raw = createReadStream(setup.path, { highWaterMark: 1 << 20 });
  waitEmpty();
  if (!isGzip(setup.path)) {
    for await (const chunk of raw) {
      compressedRead[0] += (chunk as Buffer).length;
      put(chunk as Buffer);
    }
  } else {
    raw.on('data', (chunk) => {
      compressedRead[0] += chunk.length;
    });
    const inflater = createGunzip({ chunkSize: 1 << 18 });
    raw.on('error', (err) => inflater.destroy(err));
    raw.pipe(inflater);
    // A gzip bomb stops at the limits, as on the importing thread's own path.
    const guard = new InflateGuard(setup.limits, setup.name, () => compressedRead[0]);
    for await (const chunk of inflater) {
      guard.add((chunk as Buffer).length);
      put(chunk as Buffer);
    }
  }
  if (fill > 0) {
    publish(FULL);
    slot = (slot + 1) % SLOTS;
    fill = 0;
    waitEmpty();
  }
  publish(END);
}

run().catch(() => {
  // The importing thread gives up, and its JS path reads the file and says what is wrong.
  fill = 0;
  publish(FAILED);
});
