/**
 * The JS mirror of assembly/params.ts: slots of a kernel call's parameter block and flags.
 * Keep the two files in step; KERNEL_VERSION guards against a stale build.
 * @internal
 */

export const F_STATS = 1;
export const F_EDGE_HIST = 2;
export const F_INTERVALS = 4;
/** The edge histogram tables are dense: edge e's key k sits at e × KEY_COUNT + k + MAX_KEY. */
export const F_DENSE = 8;
/** Tests only: groupRange gives every case one hashed word, so only comparisons separate. */
export const F_COLLIDE = 16;

export const P_FLAGS = 0;
export const P_CASE_FROM = 1;
export const P_CASE_TO = 2;
export const P_ACTIVITIES = 3;
export const P_OFFSETS = 4;
export const P_ACTIVITY = 5;
export const P_END = 6;
export const P_START = 7;
export const P_CASE_MASK = 8;
export const P_ACTIVITY_MASK = 9;
export const P_SCALARS = 10;
export const P_ACTIVITY_COUNTS = 11;
export const P_TRACE_LENGTHS = 12;
export const P_EDGE_STATS = 13;
export const P_E2E_STATS = 14;
export const P_CASE_HIST = 15;
export const P_PROC_STATS = 16;
export const P_PROC_HIST = 17;
export const P_WAIT_BASE = 18;
export const P_WAIT_LOW = 19;
export const P_WAIT_HIST = 20;
export const P_E2E_BASE = 21;
export const P_E2E_LOW = 22;
export const P_E2E_HIST = 23;
export const P_HASHES = 24;
export const P_TRACE_MAX = 25;
export const P_WAIT_LEN = 26;
export const P_E2E_LEN = 27;
export const P_KEY_BUF = 28;
/** The task's groups region (reps, counts, pool positions: 3 × i32 × n; n = its cases). */
export const P_GROUPS = 29;
/** Groups found in the task's range, written by the kernel's groupRange. */
export const P_GROUP_COUNT = 30;
/** Set to 1 (with Atomics) by the worker once the kernel has returned. */
export const P_DONE = 31;
/** The task's grouping table (4 × i32 per slot) and its slot count, a power of two. */
export const P_TABLE = 32;
export const P_TABLE_SLOTS = 33;
/** The task's sequence pool: i32 × (events + cases of its range). */
export const P_POOL = 34;
/**
 * Bits per activity code (plus one) in an exact variant word: a case with n kept events and
 * n × bits ≤ 63 gets its packed codes with bit 63 set instead of a hash (assembly/hash.ts).
 */
export const P_PACK_BITS = 35;
export const PARAM_SLOTS = 40;

export const S_CASES = 0;
export const S_EMPTY = 1;
export const S_EVENTS = 2;
export const S_CASE_DUR_COUNT = 3;
export const S_CASE_DUR_SUM = 4;
export const S_CASE_DUR_MIN = 5;
export const S_CASE_DUR_MAX = 6;
export const SCALAR_SLOTS = 8;

/** Increments buffered by the kernel (assembly/mine.ts KEY_CHUNK); the fast path uses two
 * buffers of this many i32 (assembly/fast.ts FAST_CHUNK). */
export const KEY_CHUNK = 1024;
