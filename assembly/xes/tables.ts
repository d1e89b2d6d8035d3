// The XES scanner's tables (scan.ts), in its memory: the interned keys with what each key is
// at event level (a role or an attribute) and its column per level, the columns ("slots") in
// order of first appearance, and the fixed-size batches the JS side drains
// (src/ingest/xes/wasm-xes-scanner.ts reads the same layout).

import { DICT_BYTES, initDictionary } from "../csv/dictionary";
import { alloc } from "../csv/heap";

/** Most distinct keys, and columns; a document with more is left to the JS readers. */
export const MAX_KEYS: i32 = 8192;
export const MAX_SLOTS: i32 = 8192;

// Per key (16 bytes): its event role (0 for none), its event column, its trace column.
export const KEY_BYTES: usize = 16;
// Per column (80 bytes): level, key, XES type, last index that set it, then its dictionary.
export const SLOT_BYTES: usize = 80;
export const SLOT_DICT: usize = 32;

export const LEVEL_TRACE: i32 = 0;
export const LEVEL_EVENT: i32 = 1;

// Event roles, in the priority XesReader tests them.
export const ROLE_ACTIVITY: i32 = 1;
export const ROLE_TIME: i32 = 2;
export const ROLE_LIFECYCLE: i32 = 3;
export const ROLE_RESOURCE: i32 = 4;
export const ROLE_START: i32 = 5;

// XES value types (src/ingest/xes/xes-values.ts XES_TYPE).
export const TYPE_DATE: i32 = 2;
export const TYPE_INT: i32 = 3;
export const TYPE_FLOAT: i32 = 4;

/** Whether a column of XES type `type` holds numbers (f64 values), not dictionary codes. */
// @ts-ignore: decorator
@inline export function isNumeric(type: i32): bool {
  return type == TYPE_DATE || type == TYPE_INT || type == TYPE_FLOAT;
}

// The layout words the JS side reads (i32 each, in this order).
export const L_EV_CASE = 0;
export const L_EV_ACTIVITY = 1;
export const L_EV_TIME = 2;
export const L_EV_START = 3;
export const L_EV_LIFECYCLE = 4;
export const L_EV_RESOURCE = 5;
export const L_V_SLOT = 6;
export const L_V_INDEX = 7;
export const L_V_BITS = 8;
export const L_D_KIND = 9;
export const L_D_INDEX = 10;
export const L_D_FROM = 11;
export const L_D_LENGTH = 12;
export const L_KEYS = 13;
export const L_CASES = 14;
export const L_ACTIVITIES = 15;
export const L_RESOURCES = 16;
export const L_LIFECYCLES = 17;
export const L_SLOTS = 18;
export const L_KEY_INFO = 19;
export const LAYOUT_WORDS = 20;

/** A new dictionary header from the heap. */
export function newDictionary(): usize {
  const d = alloc(DICT_BYTES);
  initDictionary(d);
  return d;
}

/** Key `k`'s info, every column -1 and no role. */
export function clearKey(info: usize, k: i32): void {
  const at = info + <usize>k * KEY_BYTES;
  store<i32>(at, 0);
  store<i32>(at, -1, 4);
  store<i32>(at, -1, 8);
}

/** Sets up column `s` of `level`, `key` and `type` (its dictionary unless numeric). */
export function initSlot(slots: usize, s: i32, level: i32, key: i32, type: i32): void {
  const at = slots + <usize>s * SLOT_BYTES;
  store<i32>(at, level);
  store<i32>(at, key, 4);
  store<i32>(at, type, 8);
  store<i32>(at, -1, 12);
  if (!isNumeric(type)) initDictionary(at + SLOT_DICT);
}
