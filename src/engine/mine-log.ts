/**
 * The mine call the CLI uses. For now the TypeScript reference computes it; the kernel and
 * pool take its place without changing its results.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import type { MineOptions, MineResult } from './mine-result.js';
import { mineReference } from './reference.js';

/** Mines a compiled log. */
export async function mineLog(log: CompiledLog, options: MineOptions = {}): Promise<MineResult> {
  return mineReference(log, options);
}
