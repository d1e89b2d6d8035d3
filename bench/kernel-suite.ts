/**
 * The kernel alone: one call per range over a loaded log, without merging or variant grouping.
 * One worker runs inline in this thread; several run in a Piscina pool of the engine's worker.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { CallLayout } from '../src/engine/call-layout.js';
import { splitCases } from '../src/engine/engine.js';
import {
  createSharedMemory, instantiateKernel, kernelModule,
} from '../src/engine/kernel-module.js';
import { F_EDGE_HIST, F_STATS } from '../src/engine/kernel-params.js';
import { loadColumns } from '../src/engine/loaded-log.js';
import { SharedArena } from '../src/engine/shared-arena.js';
import type { CompiledLog } from '../src/log/compiled-log.js';

/** A loaded log and a way to run the kernel over it with `workers` ranges. */
export interface KernelRig {
  run(): Promise<void>;
  close(): Promise<void>;
}

/** Loads the log into a fresh shared memory and prepares the kernel runs. */
export async function kernelRig(log: CompiledLog, workers: number): Promise<KernelRig> {
  const module = kernelModule();
  const arena = new SharedArena(createSharedMemory());
  const loaded = loadColumns(arena, log);
  const layout = new CallLayout(arena, loaded.columns, splitCases(log.offsets, workers));
  // The synthetic log has 14 activities, so one dense pass computes everything.
  const params = layout.writeParams(F_STATS | F_EDGE_HIST);
  // Workers warm up on the real blocks below instead (no grouping: the kernel alone).
  const claim = arena.allocate(4);
  if (workers === 1) {
    const kernel = instantiateKernel(module, arena.memory);
    for (let i = 0; i < 3; i++) kernel.mineRange(params[0]);
    return {
      run: async () => kernel.mineRange(params[0]),
      close: async () => undefined,
    };
  }
  const pool = new Piscina({
    filename: fileURLToPath(new URL('../src/engine/mine-worker.js', import.meta.url)),
    minThreads: workers, maxThreads: workers, idleTimeout: Infinity,
    workerData: {
      module, memory: arena.memory, warmupParams: [], warmupClaim: claim, warmupRuns: 0,
    },
  });
  for (let i = 0; i < 3; i++) await Promise.all(params.map((p) => pool.run({ params: p })));
  return {
    run: async () => {
      await Promise.all(params.map((p) => pool.run({ params: p })));
    },
    close: () => pool.destroy(),
  };
}
