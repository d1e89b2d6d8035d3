/**
 * One task of a mine call, the same in a pool worker and inline: the kernel over a range of
 * cases, then (in the pass that computes hashes) the exact variant grouping of that range, so
 * the calling thread only merges group leaders.
 * @internal
 */
import type { KernelExports } from './kernel-module.js';
import * as P from './kernel-params.js';
import { groupRange, type Sequences } from './variant-groups.js';

/** Views of a task's inputs and grouping outputs, read from its parameter block. */
interface TaskViews {
  seq: Sequences;
  caseFrom: number;
  caseTo: number;
  caseMask?: Uint8Array;
  words: Uint32Array;
  reps: Int32Array;
  counts: Uint32Array;
}

function taskViews(memory: WebAssembly.Memory, params: number): TaskViews {
  const buffer = memory.buffer;
  const p = new Int32Array(buffer, params, P.PARAM_SLOTS);
  const caseFrom = p[P.P_CASE_FROM];
  const caseTo = p[P.P_CASE_TO];
  const n = caseTo - caseFrom;
  // Only cases below caseTo are read, so views need not know the log's size.
  const offsets = new Int32Array(buffer, p[P.P_OFFSETS], caseTo + 1);
  const activity = new Int32Array(buffer, p[P.P_ACTIVITY], offsets[caseTo]);
  const activityMask = p[P.P_ACTIVITY_MASK] === 0 ? undefined
    : new Uint8Array(buffer, p[P.P_ACTIVITY_MASK], p[P.P_ACTIVITIES]);
  const caseMask = p[P.P_CASE_MASK] === 0 ? undefined
    : new Uint8Array(buffer, p[P.P_CASE_MASK], caseTo);
  return {
    seq: { offsets, activity, activityMask }, caseFrom, caseTo, caseMask,
    words: new Uint32Array(buffer, p[P.P_HASHES], n * 2),
    reps: new Int32Array(buffer, p[P.P_GROUPS], n),
    counts: new Uint32Array(buffer, p[P.P_GROUPS] + n * 4, n),
  };
}

/**
 * Runs the kernel over the task at `params`; with `group`, groups the range's variants into its
 * groups region and writes the group count into slot P_GROUP_COUNT.
 */
export function runRange(
  kernel: KernelExports, memory: WebAssembly.Memory, params: number, group: boolean,
): void {
  kernel.mineRange(params);
  if (!group) return;
  const v = taskViews(memory, params);
  const groups = groupRange(v.seq, v.caseFrom, v.caseTo, v.words, v.reps, v.counts, v.caseMask);
  new Int32Array(memory.buffer, params, P.PARAM_SLOTS)[P.P_GROUP_COUNT] = groups;
}

/**
 * A warm-up run: the kernel, then grouping into private copies (several workers warm up on one
 * shared block at once; only the kernel's unread outputs may race, never what grouping reads).
 */
export function warmRange(kernel: KernelExports, memory: WebAssembly.Memory, params: number):
void {
  kernel.mineRange(params);
  const v = taskViews(memory, params);
  const n = v.caseTo - v.caseFrom;
  groupRange(v.seq, v.caseFrom, v.caseTo, v.words.slice(), new Int32Array(n),
    new Uint32Array(n), v.caseMask);
}
