// The parameter block of a kernel call: JS writes one i32 per slot at `params`, then calls the
// kernel with that address. Every region is laid out by JS in the shared memory (see
// src/engine/layout.ts); the kernel only reads and writes through these addresses.
//
//  params -> +--------------+----------+--------+-----+---------+-----------+-----+
//            | FLAGS        | CASE_FROM| CASE_TO| ... | HASHES  | TRACE_MAX |     |
//            +--------------+----------+--------+-----+---------+-----------+-----+
//              slot 0         slot 1     slot 2          slot 24   slot 25     (i32 each)

/** Bit flags of a call. */
export const F_STATS: i32 = 1; // counts, sums, min/max, case and processing histograms, hashes
export const F_EDGE_HIST: i32 = 2; // per-edge waiting (and end-to-end) histograms
export const F_INTERVALS: i32 = 4; // the log has start times apart from end times
// The edge histogram tables are dense (base e x KEY_COUNT, low -MAX).
export const F_DENSE: i32 = 8;
// Tests only: groupRange gives every case the same hashed word, so only the comparison of
// events tells variants apart.
export const F_COLLIDE: i32 = 16;

export const P_FLAGS: i32 = 0;
export const P_CASE_FROM: i32 = 1;
export const P_CASE_TO: i32 = 2;
export const P_ACTIVITIES: i32 = 3; // A; edges are (A + 1)²
export const P_OFFSETS: i32 = 4; // i32 × (caseCount + 1)
export const P_ACTIVITY: i32 = 5; // i32 × eventCount
export const P_END: i32 = 6; // f64 × eventCount
export const P_START: i32 = 7; // f64 × eventCount (may equal P_END)
export const P_CASE_MASK: i32 = 8; // u8 × caseCount, 0 = no mask
export const P_ACTIVITY_MASK: i32 = 9; // u8 × A, 0 = no mask
export const P_SCALARS: i32 = 10; // f64 × 8, see S_* below
export const P_ACTIVITY_COUNTS: i32 = 11; // f64 × A
export const P_TRACE_LENGTHS: i32 = 12; // f64 × (TRACE_MAX + 1)
export const P_EDGE_STATS: i32 = 13; // f64 × 4 × E: count, sum, min, max of waiting
export const P_E2E_STATS: i32 = 14; // f64 × 4 × E: unused, sum, min, max of end-to-end
export const P_CASE_HIST: i32 = 15; // u32 × KEY_COUNT
export const P_PROC_STATS: i32 = 16; // f64 × 4 × A: count, sum, min, max of end − start
export const P_PROC_HIST: i32 = 17; // u32 × KEY_COUNT × A
export const P_WAIT_BASE: i32 = 18; // i32 × E: first u32 of the edge's waiting histogram
export const P_WAIT_LOW: i32 = 19; // i32 × E: key of that first bucket
export const P_WAIT_HIST: i32 = 20; // u32 × P_WAIT_LEN
export const P_E2E_BASE: i32 = 21;
export const P_E2E_LOW: i32 = 22;
export const P_E2E_HIST: i32 = 23;
export const P_HASHES: i32 = 24; // u64 × (CASE_TO − CASE_FROM): variant word per case (hash.ts)
export const P_TRACE_MAX: i32 = 25; // longest case of the log, in events
export const P_WAIT_LEN: i32 = 26; // u32 elements of P_WAIT_HIST
export const P_E2E_LEN: i32 = 27; // u32 elements of P_E2E_HIST
export const P_KEY_BUF: i32 = 28; // i32 × 2 × KEY_CHUNK scratch of the two-pass increments
export const P_GROUPS: i32 = 29; // reps, counts, pool positions: 3 × i32 × n (n = range's cases)
export const P_GROUP_COUNT: i32 = 30; // written by groupRange
// slot 31: the worker's done flag (JS only)
export const P_TABLE: i32 = 32; // grouping table: 4 × i32 per slot
export const P_TABLE_SLOTS: i32 = 33; // slots in the table region, a power of two
export const P_POOL: i32 = 34; // i32 × (events + cases of the range): groups' sequences
export const P_PACK_BITS: i32 = 35; // bits per code in an exact variant word (see hash.ts)
export const PARAM_SLOTS: i32 = 40;

// Scalars (f64) at P_SCALARS.
export const S_CASES: i32 = 0;
export const S_EMPTY: i32 = 1;
export const S_EVENTS: i32 = 2;
export const S_CASE_DUR_COUNT: i32 = 3;
export const S_CASE_DUR_SUM: i32 = 4;
export const S_CASE_DUR_MIN: i32 = 5;
export const S_CASE_DUR_MAX: i32 = 6;
export const SCALAR_SLOTS: i32 = 8;

// @ts-ignore: decorator
@inline export function param(params: usize, slot: i32): i32 {
  return load<i32>(params + (<usize>slot << 2));
}
