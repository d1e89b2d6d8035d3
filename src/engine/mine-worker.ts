/**
 * The Piscina worker: instantiates the kernel over the engine's shared memory once, warms it
 * up, then runs one range of cases per task (kernel, then variant grouping of the range). It
 * must stay a plain JS file once compiled (Node 20 does not load `.ts` workers).
 * @internal
 */
import { workerData } from 'piscina';
import { instantiateKernel } from './kernel-module.js';
import { P_DONE } from './kernel-params.js';
import { runRange } from './range-task.js';

/** What the engine hands each worker when the pool starts. */
export interface MineWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /**
   * Parameter blocks of a small synthetic call, one per worker, each run a few times to leave
   * V8's baseline tier. A worker claims one by incrementing the i32 at `warmupClaim`.
   */
  warmupParams: number[];
  warmupClaim: number;
  warmupRuns: number;
}

/** One task: the address of a parameter block laid out by the engine. */
export interface MineTask {
  params: number;
  /** Group the range's variants after the kernel (the pass that computes hashes). */
  group?: boolean;
}

const data = workerData as MineWorkerData;
const kernel = instantiateKernel(data.module, data.memory);
// Grouping rewrites its block's hashes, so each worker warms up on a block of its own. A worker
// started later (a replacement after a failure) finds none left and starts cold.
const claimed = Atomics.add(new Int32Array(data.memory.buffer), data.warmupClaim >> 2, 1);
if (claimed < data.warmupParams.length) {
  for (let i = 0; i < data.warmupRuns; i++) runRange(kernel, data.warmupParams[claimed], true);
}

/** Runs the kernel (and grouping) over one task's range and publishes its partials. */
export default function mineTask(task: MineTask): number {
  runRange(kernel, task.params, task.group === true);
  // The release store pairs with the engine's Atomics.load of the same slot: once the engine
  // sees 1 it also sees every partial the kernel wrote before, whatever the message path does.
  Atomics.store(new Int32Array(data.memory.buffer), (task.params >> 2) + P_DONE, 1);
  return task.params;
}
