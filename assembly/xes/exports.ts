// What the JS side (src/ingest/xes/wasm-xes-scanner.ts) reads of the scanner's state: the
// addresses of its batches and tables, and how full they are.

import {
  activities, cases, dFrom, dIndex, dKind, dLength, evActivity, evCase, evLifecycle,
  evResource, evStart, evTime, keyInfo, keys, lifecycles, nDeferred, nEvents, nValues,
  resources, slotCount, slots, vBits, vIndex, vSlot,
} from "./record";
import { reserve } from "../csv/dictionary";
import { alloc } from "../csv/heap";
import { LAYOUT_WORDS } from "./tables";

/** The addresses, in the order of tables.ts `L_*`, written to a new region; its address. */
export function layout(): usize {
  const at = alloc(<usize>LAYOUT_WORDS << 2);
  let w = at;
  w = word(w, evCase);
  w = word(w, evActivity);
  w = word(w, evTime);
  w = word(w, evStart);
  w = word(w, evLifecycle);
  w = word(w, evResource);
  w = word(w, vSlot);
  w = word(w, vIndex);
  w = word(w, vBits);
  w = word(w, dKind);
  w = word(w, dIndex);
  w = word(w, dFrom);
  w = word(w, dLength);
  w = word(w, keys);
  w = word(w, cases);
  w = word(w, activities);
  w = word(w, resources);
  w = word(w, lifecycles);
  w = word(w, slots);
  word(w, keyInfo);
  return at;
}

function word(at: usize, value: usize): usize {
  store<u32>(at, <u32>value);
  return at + 4;
}

export function batchEvents(): i32 {
  return nEvents;
}

export function batchValues(): i32 {
  return nValues;
}

export function deferredCount(): i32 {
  return nDeferred;
}

export function columnCount(): i32 {
  return slotCount;
}

/**
 * Makes room for `entries` case ids of `poolBytes` bytes in all at once (the JS side's guess
 * from how much of the file is read): growing a dictionary of millions of ids one doubling
 * at a time copies it again and again, and leaves each old copy behind in the heap.
 */
export function reserveCases(entries: i32, poolBytes: i32): void {
  reserve(cases, entries, poolBytes);
}
