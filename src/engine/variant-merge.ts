/**
 * Runs the kernel's merge of the ranges' variant groups (assembly/merge.ts) on the calling
 * thread and copies the ranked variants out into a {@link VariantTable}. The same answer as
 * mergeGroups in variant-groups.ts (the reference the tests compare it with), in a few ms
 * instead of tens at a hundred thousand variants.
 * @internal
 */
import type { KernelExports } from './kernel-module.js';
import type { SharedArena } from './shared-arena.js';
import type { RangeGroups } from './variant-groups.js';
import { VariantTable } from './variant-table.js';

// Slots of the merge block (assembly/merge.ts).
const M_PARTS = 0;
const M_PART_COUNT = 1;
const M_TABLE = 2;
const M_TABLE_SLOTS = 3;
const M_WORK = 4;
const M_TOTAL = 5;
const M_OUT_COUNTS = 6;
const M_OUT_REPS = 7;
const M_OUT_STARTS = 8;
const M_OUT_CODES = 9;
const M_GROUPS = 10;
const BLOCK_SLOTS = 16;
const PART_SLOTS = 6;
const RADIX = 2048;

/** Merges range groups whose arrays are views on the arena's memory (copied in if not). */
export function mergeVariantsInKernel(
  kernel: KernelExports, arena: SharedArena, parts: RangeGroups[],
): VariantTable {
  const regions: number[] = [];
  const place = (bytes: number): number => {
    const at = arena.allocate(Math.max(bytes, 8));
    regions.push(at);
    return at;
  };
  try {
    // Views on the arena are found before anything is allocated here: an allocation may grow
    // the memory, after which `memory.buffer` is a new object and no view would match it.
    const fields = parts.map((part) => [part.reps, part.counts, part.words, part.poolPos,
      part.pool].map((view) => (view.buffer === arena.memory.buffer ? view.byteOffset : -1)));
    const addresses = parts.map((part, p) => {
      // Only the used prefix of a copied array: its groups, and the pool up to the last one.
      const g = part.groups;
      const used = [g, g, 2 * g, g, g === 0 ? 0 : pooledEnd(part)];
      return [part.reps, part.counts, part.words, part.poolPos, part.pool].map((view, f) =>
        (fields[p][f] >= 0 ? fields[p][f] : copyIn(arena, view.subarray(0, used[f]), place)));
    });
    let total = 0;
    let codeBound = 0;
    for (const part of parts) {
      total += part.groups;
      if (part.groups > 0) codeBound += pooledEnd(part);
    }
    let tableSlots = 16;
    while (tableSlots < total * 2) tableSlots *= 2;
    const sizes = [
      BLOCK_SLOTS * 4, parts.length * PART_SLOTS * 4, tableSlots * 4,
      total * 8 + total * 9 * 4 + (RADIX + 1) * 4,
      total * 8, total * 4, (total + 1) * 4, codeBound * 4,
    ].map((n) => Math.ceil(n / 8) * 8);
    let at = place(sizes.reduce((a, b) => a + b, 0));
    const [block, records, table, work, outCounts, outReps, starts, codes] = sizes.map((n) => {
      const start = at;
      at += n;
      return start;
    });

    const memory = (): ArrayBufferLike => arena.memory.buffer;
    const recordView = new Int32Array(memory(), records, parts.length * PART_SLOTS);
    parts.forEach((part, p) => {
      recordView[p * PART_SLOTS] = part.groups;
      recordView.set(addresses[p], p * PART_SLOTS + 1);
    });
    const slots = new Int32Array(memory(), block, BLOCK_SLOTS);
    slots[M_PARTS] = records;
    slots[M_PART_COUNT] = parts.length;
    slots[M_TABLE] = table;
    slots[M_TABLE_SLOTS] = tableSlots;
    slots[M_WORK] = work;
    slots[M_TOTAL] = total;
    slots[M_OUT_COUNTS] = outCounts;
    slots[M_OUT_REPS] = outReps;
    slots[M_OUT_STARTS] = starts;
    slots[M_OUT_CODES] = codes;
    kernel.mergeVariants(block);

    const buffer = memory();
    const groups = new Int32Array(buffer, block, BLOCK_SLOTS)[M_GROUPS];
    const startView = new Int32Array(buffer, starts, groups + 1).slice();
    return new VariantTable(
      new Float64Array(buffer, outCounts, groups).slice(),
      new Int32Array(buffer, outReps, groups).slice(),
      startView,
      new Int32Array(buffer, codes, startView[groups]).slice(),
    );
  } finally {
    for (const r of regions) arena.release(r);
  }
}

/** Words of a range's pool in use: up to the end of its last group's sequence. */
function pooledEnd(part: RangeGroups): number {
  const last = part.poolPos[part.groups - 1];
  return last + 1 + part.pool[last];
}

/** The address of a copy of `view` placed in the arena. */
function copyIn(
  arena: SharedArena, view: Int32Array | Uint32Array, place: (bytes: number) => number,
): number {
  const at = place(view.byteLength);
  new Uint8Array(arena.memory.buffer, at, view.byteLength)
    .set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return at;
}
