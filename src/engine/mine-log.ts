/**
 * The mine call the CLI, the server and the library use: the WASM kernel on the default engine
 * (inline for small logs, in the worker pool for large ones). Results equal the TypeScript
 * reference's (`mineReference`) exactly; the kernel tests hold them to it.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import { mine } from './default-engine.js';
import type { MineOptions, MineResult } from './mine-result.js';

/** Mines a compiled log. */
export async function mineLog(log: CompiledLog, options: MineOptions = {}): Promise<MineResult> {
  return mine(log, options);
}
