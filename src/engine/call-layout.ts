/**
 * Lays out one mine call in the shared memory: the masks and histogram tables every task reads,
 * and one region of partial results per task (a range of cases).
 *
 * ```
 *  per call (read by all tasks)          per task (written by one worker only)
 *  +----------+--------------+           +--------+---------+------------+--------------+
 *  | caseMask | activityMask |           | params | scalars | act counts | trace lengths|
 *  +----------+--+-----------+           +--------+---+-----+-----+------+--+-----------+
 *  | wait base/low (i32 × E) |           | edge stats | e2e stats | caseHist| proc stats|
 *  | e2e base/low (i32 × E)  |           +------------+--------+--+---------+-----------+
 *  +-------------------------+           | proc hist  | hashes | variant groups          |
 *                                        +------------+--+-----+-------------------------+
 *                                        | wait hist     | e2e hist  (laid out later)    |
 *                                        +---------------+-------------------------------+
 * ```
 *
 * A task's params block is followed by the kernel's key buffers (KEY_CHUNK × 8 bytes).
 * Histogram tables say where edge e's buckets start (base, in u32) and which key the first one
 * holds (low). Small logs use a dense table (every edge gets all KEY_COUNT buckets) so one pass
 * suffices; larger ones first find each edge's min and max, then give each non-zero edge only
 * the key range between them (the compact table) and run a second pass for the histograms.
 * @internal
 */
import { bucketKey, KEY_COUNT, MAX_KEY } from './histogram.js';
import * as P from './kernel-params.js';
import type { SharedArena } from './shared-arena.js';

/** Where a loaded log's columns sit in the shared memory. */
export interface LoadedColumns {
  caseCount: number;
  eventCount: number;
  activityCount: number;
  hasIntervals: boolean;
  /** Longest case, in events. */
  maxTrace: number;
  offsets: number;
  activity: number;
  end: number;
  start: number;
}

/** The regions of one task. */
export interface TaskRegion {
  caseFrom: number;
  caseTo: number;
  params: number;
  scalars: number;
  activityCounts: number;
  traceLengths: number;
  edgeStats: number;
  e2eStats: number;
  caseHist: number;
  procStats: number;
  procHist: number;
  hashes: number;
  /** Variant groups of the range: leaders, counts, pool positions (i32 × cases each). */
  groups: number;
  /** The grouping table and its slots (a power of two ≥ 2 × cases; only a prefix is used). */
  table: number;
  tableSlots: number;
  /** Each group's kept sequence, copied once (only a prefix is used), and its size in i32. */
  pool: number;
  poolWords: number;
  waitHist: number;
  e2eHist: number;
}

// Above this many buckets per task and histogram kind, edges get compact ranges (two passes).
const DENSE_LIMIT = 1 << 20;

/** One mine call's layout; release() returns every region. */
export class CallLayout {
  readonly columns: LoadedColumns;
  readonly edges: number;
  readonly dense: boolean;
  readonly tasks: TaskRegion[] = [];
  readonly waitBase: Int32Array;
  readonly waitLow: Int32Array;
  readonly e2eBase: Int32Array;
  readonly e2eLow: Int32Array;
  waitLen = 0;
  e2eLen = 0;
  readonly #arena: SharedArena;
  readonly #regions: number[] = [];
  readonly #caseMask: number;
  readonly #activityMask: number;
  readonly #tables: number;

  constructor(
    arena: SharedArena, columns: LoadedColumns, ranges: Array<[number, number]>,
    caseMask?: Uint8Array, activityMask?: Uint8Array,
  ) {
    this.#arena = arena;
    this.columns = columns;
    const a = columns.activityCount;
    this.edges = (a + 1) * (a + 1);
    this.dense = this.edges * KEY_COUNT <= DENSE_LIMIT;
    this.#caseMask = caseMask === undefined ? 0 : this.#copyIn(caseMask);
    this.#activityMask = activityMask === undefined || a === 0 ? 0 : this.#copyIn(activityMask);
    this.#tables = this.#allocate(this.edges * 16);
    const buffer = arena.memory.buffer;
    this.waitBase = new Int32Array(buffer, this.#tables, this.edges);
    this.waitLow = new Int32Array(buffer, this.#tables + this.edges * 4, this.edges);
    this.e2eBase = new Int32Array(buffer, this.#tables + this.edges * 8, this.edges);
    this.e2eLow = new Int32Array(buffer, this.#tables + this.edges * 12, this.edges);
    for (const [from, to] of ranges) this.tasks.push(this.#layoutTask(from, to));
    if (this.dense) this.#layoutDense();
  }

  /** Writes the parameter blocks of every task for a pass with these flags. */
  writeParams(flags: number): number[] {
    const c = this.columns;
    const view = new Int32Array(this.#arena.memory.buffer);
    const all = flags | (c.hasIntervals ? P.F_INTERVALS : 0) | (this.dense ? P.F_DENSE : 0);
    return this.tasks.map((t) => {
      const p = t.params >> 2;
      view.fill(0, p, p + P.PARAM_SLOTS);
      view[p + P.P_FLAGS] = all;
      view[p + P.P_CASE_FROM] = t.caseFrom;
      view[p + P.P_CASE_TO] = t.caseTo;
      view[p + P.P_ACTIVITIES] = c.activityCount;
      view[p + P.P_OFFSETS] = c.offsets;
      view[p + P.P_ACTIVITY] = c.activity;
      view[p + P.P_END] = c.end;
      view[p + P.P_START] = c.start;
      view[p + P.P_CASE_MASK] = this.#caseMask;
      view[p + P.P_ACTIVITY_MASK] = this.#activityMask;
      view[p + P.P_SCALARS] = t.scalars;
      view[p + P.P_ACTIVITY_COUNTS] = t.activityCounts;
      view[p + P.P_TRACE_LENGTHS] = t.traceLengths;
      view[p + P.P_EDGE_STATS] = t.edgeStats;
      view[p + P.P_E2E_STATS] = t.e2eStats;
      view[p + P.P_CASE_HIST] = t.caseHist;
      view[p + P.P_PROC_STATS] = t.procStats;
      view[p + P.P_PROC_HIST] = t.procHist;
      view[p + P.P_WAIT_BASE] = this.#tables;
      view[p + P.P_WAIT_LOW] = this.#tables + this.edges * 4;
      view[p + P.P_WAIT_HIST] = t.waitHist;
      view[p + P.P_E2E_BASE] = this.#tables + this.edges * 8;
      view[p + P.P_E2E_LOW] = this.#tables + this.edges * 12;
      view[p + P.P_E2E_HIST] = t.e2eHist;
      view[p + P.P_HASHES] = t.hashes;
      view[p + P.P_TRACE_MAX] = c.maxTrace;
      view[p + P.P_WAIT_LEN] = this.waitLen;
      view[p + P.P_E2E_LEN] = this.e2eLen;
      view[p + P.P_KEY_BUF] = t.params + P.PARAM_SLOTS * 4;
      view[p + P.P_GROUPS] = t.groups;
      view[p + P.P_TABLE] = t.table;
      view[p + P.P_TABLE_SLOTS] = t.tableSlots;
      view[p + P.P_POOL] = t.pool;
      // Codes plus one run 1 … A.
      view[p + P.P_PACK_BITS] = 32 - Math.clz32(c.activityCount);
      return t.params;
    });
  }

  /**
   * Gives every real edge that occurs only the buckets between the keys of its merged min and
   * max (records of 4 f64: count, sum, min, max; counts come from the waiting records), then
   * allocates the histograms.
   */
  layoutCompact(edgeStats: Float64Array, e2eStats: Float64Array | null): void {
    const width = this.columns.activityCount + 1;
    this.waitLen = compactTable(edgeStats, edgeStats, width, this.waitBase, this.waitLow);
    if (e2eStats !== null) {
      this.e2eLen = compactTable(edgeStats, e2eStats, width, this.e2eBase, this.e2eLow);
    }
    this.#allocateEdgeHistograms();
  }

  /** Returns every region of the call to the arena. */
  release(): void {
    for (const r of this.#regions) this.#arena.release(r);
    this.#regions.length = 0;
  }

  #layoutDense(): void {
    for (let e = 0; e < this.edges; e++) {
      this.waitBase[e] = e * KEY_COUNT;
      this.waitLow[e] = -MAX_KEY;
      this.e2eBase[e] = e * KEY_COUNT;
      this.e2eLow[e] = -MAX_KEY;
    }
    this.waitLen = this.edges * KEY_COUNT;
    this.e2eLen = this.columns.hasIntervals ? this.waitLen : 0;
    this.#allocateEdgeHistograms();
  }

  #allocateEdgeHistograms(): void {
    for (const t of this.tasks) {
      t.waitHist = this.#allocate(this.waitLen * 4);
      t.e2eHist = this.e2eLen > 0 ? this.#allocate(this.e2eLen * 4) : 0;
    }
  }

  #layoutTask(caseFrom: number, caseTo: number): TaskRegion {
    const c = this.columns;
    const a = c.activityCount;
    const intervals = c.hasIntervals;
    const offsets = new Int32Array(this.#arena.memory.buffer, c.offsets, c.caseCount + 1);
    const events = offsets[caseTo] - offsets[caseFrom];
    let tableSlots = 16;
    while (tableSlots < (caseTo - caseFrom) * 2) tableSlots *= 2;
    const sizes = {
      params: P.PARAM_SLOTS * 4 + P.KEY_CHUNK * 8,
      scalars: P.SCALAR_SLOTS * 8,
      activityCounts: a * 8,
      traceLengths: (c.maxTrace + 1) * 8,
      edgeStats: this.edges * 32,
      e2eStats: intervals ? this.edges * 32 : 0,
      caseHist: KEY_COUNT * 4,
      procStats: intervals ? a * 32 : 0,
      procHist: intervals ? a * KEY_COUNT * 4 : 0,
      hashes: (caseTo - caseFrom) * 8,
      groups: (caseTo - caseFrom) * 12,
      table: tableSlots * 16,
      pool: (events + caseTo - caseFrom) * 4,
    };
    let total = 0;
    for (const size of Object.values(sizes)) total += Math.ceil(size / 64) * 64;
    let at = this.#allocate(total);
    const take = (size: number): number => {
      const start = size === 0 ? 0 : at;
      at += Math.ceil(size / 64) * 64;
      return start;
    };
    return {
      caseFrom, caseTo,
      params: take(sizes.params),
      scalars: take(sizes.scalars),
      activityCounts: take(sizes.activityCounts),
      traceLengths: take(sizes.traceLengths),
      edgeStats: take(sizes.edgeStats),
      e2eStats: take(sizes.e2eStats),
      caseHist: take(sizes.caseHist),
      procStats: take(sizes.procStats),
      procHist: take(sizes.procHist),
      hashes: take(sizes.hashes),
      groups: take(sizes.groups),
      table: take(sizes.table),
      tableSlots,
      pool: take(sizes.pool),
      poolWords: events + caseTo - caseFrom,
      waitHist: 0,
      e2eHist: 0,
    };
  }

  #copyIn(bytes: Uint8Array): number {
    const at = this.#allocate(bytes.length);
    new Uint8Array(this.#arena.memory.buffer, at, bytes.length).set(bytes);
    return at;
  }

  #allocate(bytes: number): number {
    const at = this.#arena.allocate(bytes);
    this.#regions.push(at);
    return at;
  }
}

/** Fills base/low for real edges with a non-zero count; returns the buckets needed. */
function compactTable(
  counts: Float64Array, stats: Float64Array, width: number, base: Int32Array, low: Int32Array,
): number {
  let next = 0;
  base.fill(0);
  low.fill(0);
  for (let e = 0; e < base.length; e++) {
    const row = Math.floor(e / width);
    const col = e % width;
    // Row 0 is START and column A is END: those edges have no durations.
    if (row === 0 || col === width - 1 || counts[e * 4] === 0) continue;
    const lowKey = bucketKey(stats[e * 4 + 2]);
    base[e] = next;
    low[e] = lowKey;
    next += bucketKey(stats[e * 4 + 3]) - lowKey + 1;
  }
  return next;
}
