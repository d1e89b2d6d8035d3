/**
 * One task of a mine call, the same in a pool worker and inline: the kernel over a range of
 * cases, then (in the pass that computes hashes) the exact variant grouping of that range in
 * the kernel's groupRange, so the calling thread only merges group leaders.
 * @internal
 */
import type { KernelExports } from './kernel-module.js';

/** Runs the kernel over the task at `params`; with `group`, groups the range's variants too. */
export function runRange(kernel: KernelExports, params: number, group: boolean): void {
  kernel.mineRange(params);
  if (group) kernel.groupRange(params);
}
