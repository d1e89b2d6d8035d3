/**
 * The mining engine: one shared WebAssembly memory holding the loaded logs, the kernel, and a
 * Piscina pool whose workers run the kernel over ranges of cases. Partial results merge by
 * addition, so the answer is the same for any number of workers. Small logs run inline, in the
 * calling thread, with the same kernel: a pool must never make a small question slower.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { LedgerflowError } from '../errors.js';
import { workerFile } from '../worker-file.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { CallLayout, type TaskRegion } from './call-layout.js';
import {
  createSharedMemory, instantiateKernel, kernelModule, type KernelExports,
} from './kernel-module.js';
import { F_EDGE_HIST, F_STATS, P_DONE, P_GROUP_COUNT } from './kernel-params.js';
import { loadColumns, type ColumnPlacement, type LoadedLog } from './loaded-log.js';
import { PartialMerger } from './merge-partials.js';
import type { MineOptions, MineResult } from './mine-result.js';
import { validateMineOptions } from './mine-options.js';
import type { MineTask, MineWorkerData } from './mine-worker.js';
import { SharedArena } from './shared-arena.js';
import { runRange } from './range-task.js';
import type { RangeGroups } from './variant-groups.js';
import { mergeVariantsInKernel } from './variant-merge.js';
import { warmupLog } from './warmup.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Worker threads of the pool, 1 to 256; default: the number of CPUs. */
  workers?: number;
  /** Logs with fewer events run inline in the calling thread; 0 to 2^31; default 200,000. */
  inlineBelowEvents?: number;
}

const kDefaultInlineBelow = 200_000;
const kMaxWorkers = 256;
const kWarmupRuns = 20;

/** Options of {@link Engine.load}. */
export interface LoadOptions {
  /**
   * Move the event columns (offsets, activity, time, start) into the engine's shared memory and
   * repoint the log's fields to them, instead of keeping a copy beside the originals: the log
   * then costs its columns once and stays a plain CompiledLog. That memory returns to the
   * engine when the new arrays are collected (not at `unload`), so they never dangle.
   */
  adopt?: boolean;
}

/** Event columns of a log, allocated in an engine's shared memory (see allocateColumns). */
export interface SharedColumns {
  offsets: Int32Array;
  activity: Int32Array;
  time: Float64Array;
  /** The same array as `time` unless intervals were asked for. */
  start: Float64Array;
}

/** A log loaded into an engine; pass it to {@link Engine.mine}. */
export interface LogHandle {
  readonly log: CompiledLog;
  /** @internal */
  readonly loaded: LoadedLog;
}

/** Mines compiled logs with the WASM kernel, inline or in a pool. */
export class Engine {
  readonly workers: number;
  readonly inlineBelowEvents: number;
  readonly #arena: SharedArena;
  readonly #module: WebAssembly.Module;
  readonly #kernel: KernelExports;
  // Weak, so a handle dropped without unload() does not keep its log object alive.
  readonly #handles = new WeakSet<LogHandle>();
  #pool: Piscina | null = null;
  // Views into the shared memory this engine handed out, by address; their regions are
  // returned when the view is collected, so a log built on them can never outlive its memory.
  readonly #placed = new WeakMap<object, number>();
  readonly #viewFreed: FinalizationRegistry<number>;
  #warmup: { layout: CallLayout; handle: LogHandle; claim: number } | null = null;
  #closed = false;
  #lastWorkerError: unknown = null;

  constructor(options: EngineOptions = {}) {
    this.workers = checkInteger('workers', options.workers ?? availableParallelism(), 1,
      kMaxWorkers);
    this.inlineBelowEvents = checkInteger('inlineBelowEvents',
      options.inlineBelowEvents ?? kDefaultInlineBelow, 0, 2 ** 31);
    this.#module = kernelModule();
    this.#arena = new SharedArena(createSharedMemory());
    this.#kernel = instantiateKernel(this.#module, this.#arena.memory);
    const arena = this.#arena;
    this.#viewFreed = new FinalizationRegistry((at) => arena.release(at));
  }

  /** Bytes of shared memory the engine holds (loaded logs and calls in flight). */
  get sharedBytes(): number {
    return this.#arena.memory.buffer.byteLength;
  }

  /**
   * Puts the log's event columns into the shared memory, once, for any number of calls: columns
   * from {@link allocateColumns} are used in place, `adopt` moves the others, and by default
   * they are copied.
   */
  load(log: CompiledLog, options: LoadOptions = {}): LogHandle {
    this.#checkOpen();
    const placement: ColumnPlacement = {
      addressOf: (data) => this.#placed.get(data),
      adopt: options.adopt === true ? <T extends Int32Array | Float64Array>(data: T): T => {
        const view = this.#view(data.constructor as never, data.length) as T;
        view.set(data as never);
        return view;
      } : undefined,
    };
    const handle: LogHandle = { log, loaded: loadColumns(this.#arena, log, placement) };
    this.#handles.add(handle);
    return handle;
  }

  /**
   * Event columns for a log of `caseCount` cases and `eventCount` events, allocated in the
   * shared memory: a log built on them loads without a copy. Their memory is returned to the
   * engine when the arrays are collected.
   */
  allocateColumns(caseCount: number, eventCount: number, intervals = false): SharedColumns {
    this.#checkOpen();
    const time = this.#view(Float64Array, eventCount);
    return {
      offsets: this.#view(Int32Array, caseCount + 1),
      activity: this.#view(Int32Array, eventCount),
      time,
      start: intervals ? this.#view(Float64Array, eventCount) : time,
    };
  }

  #view<T extends Int32Array | Float64Array>(
    Ctor: { new (b: ArrayBufferLike, o: number, l: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T {
    const at = this.#arena.allocate(length * Ctor.BYTES_PER_ELEMENT);
    const view = new Ctor(this.#arena.memory.buffer, at, length);
    this.#placed.set(view, at);
    this.#viewFreed.register(view, at);
    return view;
  }

  /** Returns a loaded log's memory to the engine; the handle must not be used afterwards. */
  unload(handle: LogHandle): void {
    if (!this.#handles.delete(handle)) return;
    this.unloadColumns(handle.loaded);
  }

  /**
   * Returns the regions of a loaded log whose handle is gone (the default engine's finalizer).
   * @internal
   */
  unloadColumns(loaded: LoadedLog): void {
    for (const r of loaded.regions.splice(0)) this.#arena.release(r);
  }

  /** Mines a loaded log; the same result as `mineReference(handle.log, options)`. */
  async mine(handle: LogHandle, options: MineOptions = {}): Promise<MineResult> {
    this.#checkOpen();
    if (!this.#handles.has(handle)) {
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        'the log handle is not loaded in this engine; call engine.load(log) first');
    }
    const { log, loaded } = handle;
    validateMineOptions(log, options);
    const inline = loaded.columns.eventCount < this.inlineBelowEvents;
    if (inline) this.#warmupCall();
    const ranges = splitCases(log.offsets, inline ? 1 : this.workers);
    const layout = new CallLayout(this.#arena, loaded.columns, ranges, options.caseMask,
      options.activityMask);
    try {
      const merger = new PartialMerger(layout);
      const run = (flags: number) => (inline ? this.#runInline(layout, flags)
        : this.#runPool(layout, flags));
      await run(layout.dense ? F_STATS | F_EDGE_HIST : F_STATS);
      const buffer = this.#arena.memory.buffer;
      for (const t of layout.tasks) merger.addStats(buffer, t);
      // Only the ranges' groups are merged here; the workers grouped their own cases.
      const variants = mergeVariantsInKernel(this.#kernel, this.#arena,
        layout.tasks.map((t) => rangeGroups(buffer, t)));
      if (!layout.dense) {
        layout.layoutCompact(merger.edgeStats, merger.e2eStats);
        await run(F_EDGE_HIST);
      }
      const after = this.#arena.memory.buffer;
      for (const t of layout.tasks) merger.addHistograms(after, t);
      return merger.result(variants);
    } finally {
      layout.release();
    }
  }

  /** Stops the pool and frees the memory; later calls throw LF_ERR_ENGINE_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = null;
    if (pool !== null) await pool.destroy();
  }

  /**
   * Runs one raw task in the pool (tests use it to make a worker fail).
   * @internal
   */
  async runRawTask(params: number): Promise<void> {
    this.#checkOpen();
    await this.#runTask(this.#ensurePool(), params);
  }

  #runInline(layout: CallLayout, flags: number): Promise<void> {
    const group = (flags & F_STATS) !== 0;
    for (const p of layout.writeParams(flags)) runRange(this.#kernel, p, group);
    return Promise.resolve();
  }

  async #runPool(layout: CallLayout, flags: number): Promise<void> {
    const pool = this.#ensurePool();
    const group = (flags & F_STATS) !== 0;
    await Promise.all(layout.writeParams(flags).map((p) => this.#runTask(pool, p, group)));
  }

  async #runTask(pool: Piscina, params: number, group = false): Promise<void> {
    const task: MineTask = { params, group };
    try {
      await pool.run(task);
    } catch (err) {
      throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
        `a worker stopped while mining (${(err as Error).message}); the pool replaces it, ` +
        'so retry the call, and report the log if it fails again', {}, err);
    }
    // Pairs with the worker's Atomics.store: every partial it wrote is visible from here on.
    if (Atomics.load(new Int32Array(this.#arena.memory.buffer), (params >> 2) + P_DONE) !== 1) {
      throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
        'a worker returned without finishing its range; retry the call');
    }
  }

  /** The last failure of a pool worker outside a task (null when none), for diagnosis. */
  get lastWorkerError(): unknown {
    return this.#lastWorkerError;
  }

  #ensurePool(): Piscina {
    if (this.#pool !== null) return this.#pool;
    const warmup = this.#warmupCall();
    const data: MineWorkerData = {
      module: this.#module, memory: this.#arena.memory,
      warmupParams: warmup.layout.writeParams(F_STATS | F_EDGE_HIST),
      warmupClaim: warmup.claim, warmupRuns: kWarmupRuns,
    };
    this.#pool = new Piscina({
      filename: workerPath(), minThreads: this.workers, maxThreads: this.workers,
      workerData: data, idleTimeout: Infinity,
    });
    // A worker that fails outside a task (while starting, say) makes Piscina emit 'error';
    // unheld, that event would end the whole process. The task that was running on it rejects
    // on its own, and Piscina starts a replacement, so here it is only kept for the next call.
    this.#pool.on('error', (err: unknown) => {
      this.#lastWorkerError = err;
    });
    return this.#pool;
  }

  #warmupCall(): { layout: CallLayout; claim: number } {
    if (this.#warmup === null) {
      const log = warmupLog();
      const handle: LogHandle = { log, loaded: loadColumns(this.#arena, log) };
      // One block per worker over the whole warm-up log (grouping rewrites a block's hashes).
      const ranges = Array.from({ length: this.workers }, (): [number, number] =>
        [0, log.caseCount]);
      const layout = new CallLayout(this.#arena, handle.loaded.columns, ranges);
      const claim = this.#arena.allocate(4);
      new Int32Array(this.#arena.memory.buffer, claim, 1)[0] = 0;
      this.#warmup = { layout, handle, claim };
      // The main thread runs inline calls: warm its instance too, before any worker starts.
      const first = layout.writeParams(F_STATS | F_EDGE_HIST)[0];
      for (let i = 0; i < kWarmupRuns; i++) runRange(this.#kernel, first, true);
      // And the merge of ranges' groups, which runs here for every call (one range twice:
      // every group of the second matches one of the first).
      const groups = rangeGroups(this.#arena.memory.buffer, layout.tasks[0]);
      for (let i = 0; i < kWarmupRuns; i++) {
        mergeVariantsInKernel(this.#kernel, this.#arena, [groups, groups]);
      }
    }
    return this.#warmup;
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new LedgerflowError('LF_ERR_ENGINE_CLOSED',
        'this engine was closed; create a new one with createEngine()');
    }
  }
}

/** The groups a task wrote into its region (count in its parameter block). */
function rangeGroups(buffer: ArrayBufferLike, t: TaskRegion): RangeGroups {
  const n = t.caseTo - t.caseFrom;
  return {
    groups: new Int32Array(buffer, t.params, P_GROUP_COUNT + 1)[P_GROUP_COUNT],
    reps: new Int32Array(buffer, t.groups, n),
    counts: new Uint32Array(buffer, t.groups + n * 4, n),
    words: new Uint32Array(buffer, t.hashes, n * 2),
    poolPos: new Int32Array(buffer, t.groups + n * 8, n),
    pool: new Int32Array(buffer, t.pool, t.poolWords),
  };
}

/** Creates an engine; options are checked here, once. */
export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}

/** Splits cases into `parts` contiguous ranges holding about the same number of events. */
export function splitCases(offsets: Int32Array, parts: number): Array<[number, number]> {
  const caseCount = offsets.length - 1;
  const events = offsets[caseCount];
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (let k = 1; k <= parts; k++) {
    let to = caseCount;
    if (k < parts) {
      // First case whose start offset reaches the k-th share of the events.
      const target = Math.round((events * k) / parts);
      let lo = from;
      let hi = caseCount;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (offsets[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      to = lo;
    }
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `option "${name}" must be an integer from ${min} to ${max}`,
      { field: name, value: String(value) });
  }
  return value;
}

function workerPath(): string {
  return workerFile(import.meta.url, 'mine-worker');
}
