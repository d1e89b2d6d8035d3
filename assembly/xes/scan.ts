// The XES body scanner (built into build/xes-scan.wasm by `npm run build:wasm`): reads the
// traces of an XES document from its UTF-8 bytes, block by block, in the one shape XES
// writers emit:
//
//   <trace> <type key="…" value="…"/>… <event> <type key="…" value="…"/>… </event>…
//   </trace> …
//   … </log>
//
// where type is string, date, int, float, boolean or id, `key` comes before `value`, both in
// double quotes, and whitespace lies between tags. The JS side (src/ingest/xes/wasm-read.ts)
// reads the prolog up to the first <trace> itself. Whatever else appears, and any value that
// XML would decode or normalise (a reference, a control character, bytes that are not UTF-8),
// stops the scan with a failure and the whole document goes to the JS readers, which give the
// exact reading, or the exact error. A token is recorded (record.ts) only once read whole, so
// a call may stop before any token and the next one starts there.

import { heapStart, alloc } from "../csv/heap";
import {
  closeEvent, closeLog, closeTrace, defineRole, deferredRead, drained, EPILOG, FAIL_SHAPE,
  FAIL_TOO_LONG, FAIL_VALUE, keyId, leaf, MORE, openEvent, openTrace, setBlock, setupRecord,
  state, status, stop,
} from "./record";
export { alloc, heapStart, drained, deferredRead };
export * from "./exports";

const LT: u32 = 60;
const QUOTE: u32 = 34;

// Tag names and their bytes as little-endian words.
const OPEN_EVENT: u64 = 0x3e746e6576653c; // <event>
const OPEN_TRACE: u64 = 0x3e65636172743c; // <trace>
const CLOSE_EVENT: u64 = 0x3e746e6576652f3c; // </event>
const CLOSE_TRACE: u64 = 0x3e65636172742f3c; // </trace>
const CLOSE_LOG: u64 = 0x3e676f6c2f3c; // </log>
const KEY: u64 = 0x79656b;
const VALUE: u64 = 0x65756c6176;
// The spelling nearly every writer uses, read as one word: ` key="` and ` value="`.
const KEY_OPEN: u64 = 0x223d79656b20;
const VALUE_OPEN: u64 = 0x223d65756c617620;

let maxToken: i32 = 0;
/** Whitespace read since the last token: counted against maxToken with the next token. */
let spaceRun: i32 = 0;
let resultAt: i32 = 0;

/** Layout version the JS side checks (src/ingest/xes/wasm-xes-scanner.ts). */
export function xesScanVersion(): i32 {
  return 1;
}

/**
 * Sets up batches of `events` events, `values` values and `deferred` deferred readings; a
 * token (with the whitespace before it) longer than `tokenBytes` fails. Naive times are UTC
 * when `naiveUtc`, else deferred.
 */
export function setup(events: i32, values: i32, deferred: i32, tokenBytes: i32,
  naiveUtc: bool): void {
  setupRecord(events, values, deferred, naiveUtc);
  maxToken = tokenBytes;
}

/** Interns the `n` key bytes at `at` and gives the key `role` (0: the case key). */
export function defineKey(at: usize, n: i32, role: i32): void {
  defineRole(keyId(at, n), role);
}

/** Where the last scan call stopped, from the block's start. */
export function position(): i32 {
  return resultAt;
}

/** True once `</log>` was read. */
export function finished(): bool {
  return state == EPILOG;
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 32 || c == 10 || c == 9 || c == 13;
}

// @ts-ignore: decorator
@inline function bytesAre(p: usize, word: u64, n: i32): bool {
  const mask: u64 = n >= 8 ? <u64>-1 : (<u64>1 << (<u64>n << 3)) - 1;
  return (load<u64>(p) & mask) == word;
}

/**
 * Scans the block bytes [pos, end) at `block` (8 readable bytes past `end`); answers a status
 * (record.ts) and leaves the place to go on from in {@link position}.
 */
export function scan(block: usize, pos: i32, end: i32): i32 {
  setBlock(block);
  const e = block + <usize>end;
  let p = block + <usize>pos;
  for (;;) {
    const from = p;
    while (p < e && isSpace(load<u8>(p))) p++;
    spaceRun += <i32>(p - from);
    if (spaceRun > maxToken) return fail(FAIL_TOO_LONG, p, block);
    if (p >= e) {
      resultAt = end;
      return MORE;
    }
    if (state == EPILOG || <u32>load<u8>(p) != LT) return fail(FAIL_SHAPE, p, block);
    const next = token(p, e);
    if (next == 0) {
      resultAt = <i32>(p - block);
      if (status != MORE) return status;
      if (spaceRun + <i32>(e - p) > maxToken) return fail(FAIL_TOO_LONG, p, block);
      return MORE;
    }
    if (spaceRun + <i32>(next - p) > maxToken) return fail(FAIL_TOO_LONG, p, block);
    spaceRun = 0;
    p = next;
  }
  return MORE;
}

function fail(why: i32, p: usize, block: usize): i32 {
  resultAt = <i32>(p - block);
  return why;
}

/** Reads the token at `p` (a `<`); the place after it, or 0 with `status` set. */
function token(p: usize, e: usize): usize {
  // The block has 8 readable bytes past its end: a word is read whole, then masked.
  if (e - p >= 6 && bytesAre(p, CLOSE_LOG, 6)) return closeLog() ? p + 6 : 0;
  if (e - p < 8) return more();
  if (<u32>load<u8>(p, 1) == 47) {
    if (bytesAre(p, CLOSE_EVENT, 8)) return closeEvent() ? p + 8 : 0;
    if (bytesAre(p, CLOSE_TRACE, 8)) return closeTrace() ? p + 8 : 0;
    return shape();
  }
  if (bytesAre(p, OPEN_EVENT, 7)) return openEvent() ? p + 7 : 0;
  if (bytesAre(p, OPEN_TRACE, 7)) return openTrace() ? p + 7 : 0;
  return leafToken(p, e);
}

function more(): usize {
  stop(MORE);
  return 0;
}

function shape(): usize {
  stop(FAIL_SHAPE);
  return 0;
}

/** The XES type of the element name at `p + 1` and its length in the high half, or 0. */
function typeAt(p: usize): i32 {
  const c = <u32>load<u8>(p, 1);
  if (c == 115 && bytesAre(p, 0x676e697274733c, 7)) return (6 << 16) | 1; // string
  if (c == 100 && bytesAre(p, 0x657461643c, 5)) return (4 << 16) | 2; // date
  if (c == 105 && bytesAre(p, 0x746e693c, 4)) return (3 << 16) | 3; // int
  if (c == 102 && bytesAre(p, 0x74616f6c663c, 6)) return (5 << 16) | 4; // float
  if (c == 98 && bytesAre(p, 0x6e61656c6f6f623c, 8)) return (7 << 16) | 5; // boolean
  if (c == 105 && bytesAre(p, 0x64693c, 3)) return (2 << 16) | 6; // id
  return 0;
}

/** `<type key="…" value="…"/>`, whitespace allowed where XML allows it. */
function leafToken(p: usize, e: usize): usize {
  const typed = typeAt(p);
  if (typed == 0) return shape();
  let q = p + 1 + <usize>(typed >>> 16);
  const keyFrom = q + 6 <= e && bytesAre(q, KEY_OPEN, 6) ? q + 6 : attribute(q, e, KEY, 3);
  if (keyFrom == 0) return 0;
  q = quoteEnd(keyFrom, e);
  if (q == 0) return 0;
  const keyLength = <i32>(q - keyFrom);
  const valueFrom = q + 9 <= e && bytesAre(q + 1, VALUE_OPEN, 8) ? q + 9
    : attribute(q + 1, e, VALUE, 5);
  if (valueFrom == 0) return 0;
  q = quoteEnd(valueFrom, e);
  if (q == 0) return 0;
  const valueLength = <i32>(q - valueFrom);
  q++;
  while (q < e && isSpace(load<u8>(q))) q++;
  if (q + 2 > e) return more();
  if (load<u16>(q) != 0x3e2f) return shape(); // />
  if (!leaf(typed & 0xffff, keyFrom, keyLength, valueFrom, valueLength)) return 0;
  return q + 2;
}

/**
 * At `q`: whitespace, the attribute name `word` (`n` bytes), `=` with optional whitespace
 * around it, and an opening double quote; answers the place after the quote, or 0.
 */
function attribute(q: usize, e: usize, word: u64, n: i32): usize {
  const from = q;
  while (q < e && isSpace(load<u8>(q))) q++;
  if (q + <usize>n + 8 > e) return more();
  if (q == from || !bytesAre(q, word, n)) return shape();
  q += <usize>n;
  while (q < e && isSpace(load<u8>(q))) q++;
  if (q >= e) return more();
  if (load<u8>(q) != 61) return shape();
  q++;
  while (q < e && isSpace(load<u8>(q))) q++;
  if (q >= e) return more();
  if (<u32>load<u8>(q) != QUOTE) return shape();
  return q + 1;
}

/**
 * The closing double quote of a value starting at `q`, or 0. The value must read as
 * itself: no `&` or `<`, no control character (XML turns tab and line ends into spaces),
 * valid UTF-8 without U+FFFE or U+FFFF.
 */
function quoteEnd(q: usize, e: usize): usize {
  while (q < e) {
    q = plainRun(q, e);
    if (q >= e) break;
    const c = <u32>load<u8>(q);
    if (c == QUOTE) return q;
    if (c < 32 || c == 38 || c == LT) {
      stop(FAIL_VALUE);
      return 0;
    }
    if (c < 0x80) {
      q++;
      continue;
    }
    const n = utf8Length(q, e);
    if (n <= 0) {
      stop(n == 0 ? FAIL_VALUE : MORE);
      return 0;
    }
    q += <usize>n;
  }
  return more();
}

/**
 * The first byte at or after `q` that needs a look (a quote, `&`, `<`, a control byte or one
 * past ASCII), sixteen bytes at a time; `e` or beyond when there is none before `e`.
 */
// @ts-ignore: decorator
@inline function plainRun(q: usize, e: usize): usize {
  const quote = i8x16.splat(<i8>QUOTE);
  const amp = i8x16.splat(38);
  const lt = i8x16.splat(<i8>LT);
  const space = i8x16.splat(32);
  while (q + 16 <= e) {
    const v = v128.load(q);
    const special = v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, amp)),
      v128.or(i8x16.eq(v, lt), i8x16.lt_u(v, space)));
    // Bytes past ASCII read as negative.
    const marked = v128.or(special, i8x16.lt_s(v, i8x16.splat(0)));
    if (v128.any_true(marked)) return q + <usize>ctz(i8x16.bitmask(marked));
    q += 16;
  }
  while (q < e) {
    const c = <u32>load<u8>(q);
    if (c == QUOTE || c < 32 || c == 38 || c == LT || c >= 0x80) return q;
    q++;
  }
  return q;
}

/** Bytes of the UTF-8 sequence at `q` (lead >= 0x80); 0 when invalid, -1 when cut by `e`. */
function utf8Length(q: usize, e: usize): i32 {
  const lead = <u32>load<u8>(q);
  let n = 0;
  let lo: u32 = 0x80;
  let hi: u32 = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) n = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead == 0xe0) lo = 0xa0;
    else if (lead == 0xed) hi = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead == 0xf0) lo = 0x90;
    else if (lead == 0xf4) hi = 0x8f;
  } else return 0;
  if (q + <usize>n > e) return -1;
  const second = <u32>load<u8>(q, 1);
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) {
    if ((<u32>load<u8>(q + <usize>k) & 0xc0) != 0x80) return 0;
  }
  // U+FFFE and U+FFFF are no XML characters.
  if (lead == 0xef && second == 0xbf && <u32>load<u8>(q, 2) >= 0xbe) return 0;
  return n;
}
