/**
 * The convenience entry: `mine(log)` on a lazily created engine shared by the process. Logs are
 * loaded on first use and unloaded when the log object is garbage collected.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import { createEngine, type Engine, type LogHandle } from './engine.js';
import type { LoadedLog } from './loaded-log.js';
import type { MineOptions, MineResult } from './mine-result.js';

let engine: Engine | null = null;
let handles = new WeakMap<CompiledLog, LogHandle>();
let unloader: FinalizationRegistry<LoadedLog> | null = null;

/** Mines a compiled log with the default engine (created on first call). */
export async function mine(log: CompiledLog, options: MineOptions = {}): Promise<MineResult> {
  if (engine === null) {
    const current = createEngine();
    engine = current;
    unloader = new FinalizationRegistry((loaded) => current.unloadColumns(loaded));
  }
  let handle = handles.get(log);
  if (handle === undefined) {
    // Adopting moves the columns into shared memory (same values, new arrays): the log is not
    // held twice. The caller's log object then points at the shared copies.
    handle = engine.load(log, { adopt: true });
    handles.set(log, handle);
    // The held value must not refer to the log, or the log would never be collected.
    unloader?.register(log, handle.loaded);
  }
  return engine.mine(handle, options);
}

/** Closes the default engine (its pool and memory); a later `mine` creates a new one. */
export async function closeDefaultEngine(): Promise<void> {
  const current = engine;
  engine = null;
  handles = new WeakMap();
  unloader = null;
  if (current !== null) await current.close();
}
