// What the XES scanner (scan.ts) records for each token it has read whole: the state of the
// document (in the log, a trace, an event, after the log), the current event's row of the
// event batch, and one entry of the value batch per attribute value. Every check that
// XesReader would answer differently from a plain reading (an event without activity or
// time, a trace without a case id or with a repeated one, a key of two types, a key twice in
// one element) stops the scan with a failure, and the JS readers read the whole document.

import { find, sameBytes } from "../csv/dictionary";
import { alloc } from "../csv/heap";
import {
  clearKey, initSlot, KEY_BYTES, LEVEL_EVENT, LEVEL_TRACE, MAX_KEYS, MAX_SLOTS, newDictionary,
  isNumeric, ROLE_ACTIVITY, ROLE_LIFECYCLE, ROLE_RESOURCE, ROLE_START, ROLE_TIME, SLOT_BYTES,
  SLOT_DICT, TYPE_DATE,
} from "./tables";
import { plainNumber } from "./plain-number";
import { xesMillis } from "./xes-date";

// Statuses of a scan call: more bytes needed, batches to drain, or a failure (>= 2).
export const MORE: i32 = 0;
export const FLUSH: i32 = 1;
export const FAIL_SHAPE: i32 = 2;
export const FAIL_TOO_LONG: i32 = 3;
export const FAIL_VALUE: i32 = 4;
export const FAIL_CASE: i32 = 5;
export const FAIL_EVENT: i32 = 6;
export const FAIL_REPEAT: i32 = 7;
export const FAIL_TYPE: i32 = 8;
export const FAIL_LIMIT: i32 = 9;

// Where the document is.
export const IN_LOG: i32 = 1;
export const IN_TRACE: i32 = 2;
export const IN_EVENT: i32 = 3;
export const EPILOG: i32 = 4;

// Deferred readings: the event's time, its start time, a date or a number of the value batch.
const DEFER_TIME: i32 = 0;
const DEFER_START: i32 = 1;
const DEFER_DATE: i32 = 2;
const DEFER_NUMBER: i32 = 3;

/**
 * Room the values (and deferred dates) of one event, with the trace attributes after it, may
 * take in the batches beyond their drain mark: the batches are drained only between events.
 */
const MARGIN: i32 = 4096;

export let state: i32 = IN_LOG;
export let status: i32 = MORE;
let naiveUtc: bool = true;
let maxEvents: i32 = 0;
let maxValues: i32 = 0;
let maxDeferred: i32 = 0;

// Batches (regions of the heap) and their fill.
export let evCase: usize = 0;
export let evActivity: usize = 0;
export let evTime: usize = 0;
export let evStart: usize = 0;
export let evLifecycle: usize = 0;
export let evResource: usize = 0;
export let vSlot: usize = 0;
export let vIndex: usize = 0;
export let vBits: usize = 0;
export let dKind: usize = 0;
export let dIndex: usize = 0;
export let dFrom: usize = 0;
export let dLength: usize = 0;
export let nEvents: i32 = 0;
export let nValues: i32 = 0;
export let nDeferred: i32 = 0;

// Dictionaries and tables.
export let keys: usize = 0;
export let cases: usize = 0;
export let activities: usize = 0;
export let resources: usize = 0;
export let lifecycles: usize = 0;
export let slots: usize = 0;
export let keyInfo: usize = 0;
export let slotCount: i32 = 0;
let caseKey: i32 = -1;
/**
 * Per key id + 1, the key that followed it last time in an element (at 0: the first key of
 * an element); writers repeat one key order, so the guess is nearly always right and a
 * comparison of bytes replaces hashing and probing.
 */
let keyNext: usize = 0;
let lastKey: i32 = -1;

// The current trace and event.
let traces: i32 = 0;
let eventsDone: i32 = 0;
let traceNamed: bool = false;
let rolesSeen: i32 = 0;
/** Where the bytes of the block being scanned start (deferred readings are offsets). */
export let blockAt: usize = 0;

/**
 * A hash of the `n` bytes at `at`, eight at a time (the bytes up to 8 past the end must be
 * readable: they lie in the block or its slack). The dictionaries here are never merged with
 * the JS side's, so they need not hash as the CSV ones do, only alike among themselves.
 */
// @ts-ignore: decorator
@inline export function hashBytes(at: usize, n: i32): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>n;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    h = (h ^ load<u64>(at + <usize>k)) * 0xff51afd7ed558ccd;
    h ^= h >>> 32;
  }
  if (k < n) {
    const tail = load<u64>(at + <usize>k) & ((<u64>1 << (<u64>(n - k) << 3)) - 1);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53;
  }
  h ^= h >>> 29;
  h *= 0xff51afd7ed558ccd;
  return <u32>(h ^ (h >>> 32));
}

/** Takes the batches and tables from the heap. */
export function setupRecord(events: i32, values: i32, deferred: i32, utc: bool): void {
  maxEvents = events;
  maxValues = values + MARGIN;
  maxDeferred = deferred + MARGIN;
  naiveUtc = utc;
  const e = <usize>events;
  evCase = alloc(e << 2);
  evActivity = alloc(e << 2);
  evTime = alloc(e << 3);
  evStart = alloc(e << 3);
  evLifecycle = alloc(e << 2);
  evResource = alloc(e << 2);
  const v = <usize>maxValues;
  vSlot = alloc(v << 2);
  vIndex = alloc(v << 2);
  vBits = alloc(v << 3);
  const d = <usize>maxDeferred;
  dKind = alloc(d << 2);
  dIndex = alloc(d << 2);
  dFrom = alloc(d << 2);
  dLength = alloc(d << 2);
  keys = newDictionary();
  cases = newDictionary();
  activities = newDictionary();
  resources = newDictionary();
  lifecycles = newDictionary();
  slots = alloc(<usize>MAX_SLOTS * SLOT_BYTES);
  keyInfo = alloc(<usize>MAX_KEYS * KEY_BYTES);
  keyNext = alloc(<usize>(MAX_KEYS + 1) << 2);
  memory.fill(keyNext, 0xff, <usize>(MAX_KEYS + 1) << 2);
  state = IN_LOG;
  caseKey = -1;
}

/** The id of the `n` key bytes at `at`, interned; -1 past MAX_KEYS. */
export function keyId(at: usize, n: i32): i32 {
  const next = keyNext + (<usize>(lastKey + 1) << 2);
  const guess = load<i32>(next);
  if (guess >= 0) {
    const entry = <usize>load<u32>(keys, 12) + (<usize>guess << 3);
    if (load<i32>(entry, 4) == n
      && sameBytes(<usize>load<u32>(keys, 24) + <usize>load<i32>(entry), at, n)) {
      lastKey = guess;
      return guess;
    }
  }
  const before = load<i32>(keys, 20);
  const k = find(keys, hashBytes(at, n), at, n);
  if (k >= MAX_KEYS) return -1;
  if (k == before) clearKey(keyInfo, k);
  store<i32>(next, k);
  lastKey = k;
  return k;
}

/** Gives key `k` event role `role` (0: the case key of traces), unless it has one already. */
export function defineRole(k: i32, role: i32): void {
  if (role == 0) {
    caseKey = k;
    return;
  }
  const at = keyInfo + <usize>k * KEY_BYTES;
  if (load<i32>(at) == 0) store<i32>(at, role);
}

/** Whether there is room for another trace or event before the batches are drained. */
function roomLeft(): bool {
  return nEvents < maxEvents && nValues < maxValues - MARGIN
    && nDeferred < maxDeferred - MARGIN;
}

/** `<trace>`; false when the batches must be drained first (status FLUSH) or a failure. */
export function openTrace(): bool {
  if (state != IN_LOG) return stop(FAIL_SHAPE);
  if (!roomLeft()) return stop(FLUSH);
  traces++;
  traceNamed = false;
  state = IN_TRACE;
  lastKey = -1;
  return true;
}

export function closeTrace(): bool {
  if (state != IN_TRACE) return stop(FAIL_SHAPE);
  if (!traceNamed) return stop(FAIL_CASE);
  state = IN_LOG;
  return true;
}

export function openEvent(): bool {
  if (state != IN_TRACE) return stop(FAIL_SHAPE);
  // XesReader names a trace without a case id before its first event: trace-N.
  if (!traceNamed) return stop(FAIL_CASE);
  if (!roomLeft()) return stop(FLUSH);
  const e = <usize>nEvents;
  store<i32>(evCase + (e << 2), traces - 1);
  store<i32>(evActivity + (e << 2), -1);
  store<f64>(evTime + (e << 3), NaN);
  store<f64>(evStart + (e << 3), NaN);
  store<i32>(evLifecycle + (e << 2), -1);
  store<i32>(evResource + (e << 2), -1);
  rolesSeen = 0;
  state = IN_EVENT;
  lastKey = -1;
  return true;
}

export function closeEvent(): bool {
  if (state != IN_EVENT) return stop(FAIL_SHAPE);
  // Without an activity or a time XesReader rejects the event (or skips it, counted).
  if (load<i32>(evActivity + (<usize>nEvents << 2)) < 0 || (rolesSeen & (1 << ROLE_TIME)) == 0) {
    return stop(FAIL_EVENT);
  }
  nEvents++;
  eventsDone++;
  state = IN_TRACE;
  return true;
}

export function closeLog(): bool {
  if (state != IN_LOG) return stop(FAIL_SHAPE);
  state = EPILOG;
  return true;
}

/** A leaf attribute of XES type `type`: key bytes [kf, kf+kn), value bytes [vf, vf+vn). */
export function leaf(type: i32, kf: usize, kn: i32, vf: usize, vn: i32): bool {
  if (state != IN_EVENT && state != IN_TRACE) return stop(FAIL_SHAPE);
  const k = keyId(kf, kn);
  if (k < 0) return stop(FAIL_LIMIT);
  const info = keyInfo + <usize>k * KEY_BYTES;
  if (state == IN_TRACE) {
    if (k == caseKey) return caseName(vf, vn);
    return value(info, 8, LEVEL_TRACE, traces - 1, k, type, vf, vn);
  }
  const role = load<i32>(info);
  if (role == 0) return value(info, 4, LEVEL_EVENT, eventsDone, k, type, vf, vn);
  // A role given twice: XesReader keeps the last, and would not have coded the first.
  if ((rolesSeen & (1 << role)) != 0) return stop(FAIL_REPEAT);
  rolesSeen |= 1 << role;
  const e = <usize>nEvents;
  if (role == ROLE_ACTIVITY) {
    if (vn == 0) return stop(FAIL_EVENT);
    store<i32>(evActivity + (e << 2), find(activities, hashBytes(vf, vn), vf, vn));
  } else if (role == ROLE_TIME || role == ROLE_START) {
    if (vn == 0) return role == ROLE_TIME ? stop(FAIL_EVENT) : true;
    const t = xesMillis(vf, vn, naiveUtc);
    store<f64>((role == ROLE_TIME ? evTime : evStart) + (e << 3), t);
    if (isNaN(t)) return defer(role == ROLE_TIME ? DEFER_TIME : DEFER_START, nEvents, vf, vn);
  } else if (vn > 0) {
    const d = role == ROLE_LIFECYCLE ? lifecycles : resources;
    store<i32>((role == ROLE_LIFECYCLE ? evLifecycle : evResource) + (e << 2),
      find(d, hashBytes(vf, vn), vf, vn));
  }
  return true;
}

/** The first case-key value of a trace: its case id, new and not empty. */
function caseName(vf: usize, vn: i32): bool {
  // A second one would be a case attribute named like the key: left to XesReader.
  if (traceNamed || vn == 0) return stop(FAIL_CASE);
  const before = load<i32>(cases, 20);
  if (find(cases, hashBytes(vf, vn), vf, vn) != before) return stop(FAIL_CASE);
  traceNamed = true;
  return true;
}

/** An attribute value of column (level, key `k`) for row `index`; `which`: info's word. */
function value(
  info: usize, which: usize, level: i32, index: i32, k: i32, type: i32, vf: usize, vn: i32,
): bool {
  let s = load<i32>(info + which);
  if (s < 0) {
    if (slotCount >= MAX_SLOTS) return stop(FAIL_LIMIT);
    s = slotCount++;
    initSlot(slots, s, level, k, type);
    store<i32>(info + which, s);
  }
  const slot = slots + <usize>s * SLOT_BYTES;
  if (load<i32>(slot, 8) != type) return stop(FAIL_TYPE);
  if (load<i32>(slot, 12) == index) return stop(FAIL_REPEAT);
  store<i32>(slot, index, 12);
  // An empty value sets nothing; the column has its place all the same.
  if (vn == 0) return true;
  if (nValues >= maxValues) return stop(FAIL_LIMIT);
  const n = <usize>nValues;
  nValues++;
  store<i32>(vSlot + (n << 2), s);
  store<i32>(vIndex + (n << 2), index);
  if (!isNumeric(type)) {
    const d = slot + SLOT_DICT;
    store<f64>(vBits + (n << 3), <f64>find(d, hashBytes(vf, vn), vf, vn));
    return true;
  }
  const date = type == TYPE_DATE;
  const x = date ? xesMillis(vf, vn, naiveUtc) : plainNumber(vf, vn);
  store<f64>(vBits + (n << 3), x);
  return isNaN(x) ? defer(date ? DEFER_DATE : DEFER_NUMBER, <i32>n, vf, vn) : true;
}

/** Leaves the reading of the `vn` bytes at `vf` to the JS side, for batch row `index`. */
function defer(kind: i32, index: i32, vf: usize, vn: i32): bool {
  if (nDeferred >= maxDeferred) return stop(FAIL_LIMIT);
  const d = <usize>nDeferred;
  nDeferred++;
  store<i32>(dKind + (d << 2), kind);
  store<i32>(dIndex + (d << 2), index);
  store<i32>(dFrom + (d << 2), <i32>(vf - blockAt));
  store<i32>(dLength + (d << 2), vn);
  return true;
}

/** Sets the status and answers false, for `return stop(…)`. */
export function stop(why: i32): bool {
  status = why;
  return false;
}

/** The batches were drained (only ever between events). */
export function drained(): void {
  nEvents = 0;
  nValues = 0;
}

export function deferredRead(): void {
  nDeferred = 0;
}

export function setBlock(at: usize): void {
  blockAt = at;
}
