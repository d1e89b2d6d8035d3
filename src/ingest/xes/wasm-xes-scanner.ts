/**
 * The WASM scanner of XES bodies (assembly/xes/scan.ts, built into `build/xes-scan.wasm`):
 * one instance per import, over a memory of its own that holds the block being read, the
 * dictionaries (keys, case ids, activities, resources, lifecycle transitions, one per
 * attribute column) and fixed-size batches of events and values, which this side drains into
 * whole columns. Dates the scanner does not read (another layout, a naive time with a zone
 * option) come back as byte ranges and are read here with `parseXesDate`.
 * @internal
 */
import { LedgerflowError } from '../../errors.js';
import { compileBuiltWasm } from '../../wasm-file.js';
import { Growable } from '../../log/growable.js';
import { ColumnParts } from './column-parts.js';
import { textsFit, textsOf } from './wasm-dictionaries.js';

/** The layout version the JS side reads (assembly/xes/scan.ts `xesScanVersion`). */
const SCAN_VERSION = 1;
const BATCH_EVENTS = 1 << 15;
const BATCH_VALUES = 1 << 16;
const BATCH_DEFERRED = 1 << 12;
/** Room past a batch's drain mark (assembly/xes/record.ts MARGIN). */
const MARGIN = 4096;
const FIRST_BLOCK = 1 << 20;
const PAGE = 64 * 1024;
const MAX_PAGES = 65536;
/** Bytes readable past a block's end (the scanner reads words whole, then masks them). */
const SLACK = 16;

// Statuses (assembly/xes/record.ts).
const MORE = 0;
const FLUSH = 1;
const FAILURES: Record<number, string> = {
  2: 'markup outside the common shape', 3: 'a tag or blank run past the size bound',
  4: 'a value XML would decode or normalise', 5: 'a trace without a new case id',
  6: 'an event without activity or time', 7: 'a key twice in one element',
  8: 'a key of two types', 9: 'more keys, columns or values than the scanner holds',
};

// Layout words (assembly/xes/tables.ts L_*).
const L = {
  evCase: 0, evActivity: 1, evTime: 2, evStart: 3, evLifecycle: 4, evResource: 5,
  vSlot: 6, vIndex: 7, vBits: 8, dKind: 9, dIndex: 10, dFrom: 11, dLength: 12, keys: 13,
  cases: 14, activities: 15, resources: 16, lifecycles: 17, slots: 18,
} as const;
const SLOT_BYTES = 80;
const SLOT_DICT = 32;
const XES_DATE = 2;
const XES_INT = 3;
const XES_FLOAT = 4;
/** Deferred readings of numbers (assembly/xes/record.ts DEFER_NUMBER); the others are dates. */
const DEFER_NUMBER = 3;

/** Event roles (assembly/xes/tables.ts ROLE_*); 0 names the case key of traces. */
export const XES_ROLE = { caseKey: 0, activity: 1, time: 2, lifecycle: 3, resource: 4, start: 5 };

interface XesScanExports {
  _initialize(): void;
  xesScanVersion(): number;
  heapStart(at: number): void;
  alloc(bytes: number): number;
  setup(events: number, values: number, deferred: number, tokenBytes: number,
    naiveUtc: number): void;
  defineKey(at: number, n: number, role: number): void;
  layout(): number;
  scan(block: number, pos: number, end: number): number;
  position(): number;
  finished(): number;
  batchEvents(): number;
  batchValues(): number;
  deferredCount(): number;
  columnCount(): number;
  drained(): void;
  deferredRead(): void;
  reserveCases(entries: number, poolBytes: number): void;
}

// src/ingest/xes under vitest, dist/src/ingest/xes once compiled.
const CANDIDATES = ['../../../build/xes-scan.wasm', '../../../../build/xes-scan.wasm'];
let compiled: WebAssembly.Module | null = null;

/**
 * One attribute column as scanned: a date, int or float column as numbers (epoch ms for
 * dates, NaN for none), any other as codes (-1 for none) into its distinct texts.
 */
export type ScannedColumn = { trace: boolean; name: string; xesType: number } & (
  | { numbers: Float64Array; codes: null; texts: null }
  | { numbers: null; codes: Int32Array; texts: string[] });

/** The whole body: event columns in file order, case ids, attribute columns. */
export interface ScannedBody {
  caseIds: string[];
  caseOf: Int32Array;
  activities: string[];
  activityOf: Int32Array;
  time: Float64Array;
  /** Start times, null when no event has one (as all NaN, for the builder). */
  start: Float64Array | null;
  lifecycles: string[];
  /** Lifecycle codes, null when no event has a transition. */
  lifecycleOf: Int32Array | null;
  resources: string[];
  /** Resource codes, null when no event has a resource. */
  resourceOf: Int32Array | null;
  columns: ScannedColumn[];
}

/** What the scanner is told of the import. */
export interface XesScanSetup {
  /** Keys and their roles ({@link XES_ROLE}), in XesReader's order of precedence. */
  roles: { key: string; role: number }[];
  maxTokenBytes: number;
  naiveUtc: boolean;
  /** Reads a date the scanner left aside (epoch ms, NaN for none). */
  readDate: (text: string) => number;
}

/** A failure: the text leaves what the scanner reads; the JS readers take the document. */
export class XesScanMiss extends Error {}

/**
 * An attribute column while it is drained: a case column grows by case; an event column
 * takes a part per batch (its rows are that batch's events), which is copied once at the end.
 */
type AttributeColumn = { trace: boolean; type: number } & (
  | { values: Growable<Int32Array | Float64Array>; parts: null; page: null }
  | { values: null; parts: ColumnParts<Int32Array | Float64Array>;
    page: Int32Array | Float64Array | null });

export class XesBodyScanner {
  readonly #memory: WebAssembly.Memory;
  readonly #wasm: XesScanExports;
  readonly #layout: number[];
  readonly #readDate: (text: string) => number;
  #blockAt = 0;
  #blockRoom = 0;
  /** The region the last scan call read (deferred dates are offsets into it). */
  #scanBase = 0;
  /** Bytes at the block's start that the next call reads again (an unfinished token). */
  #carry = 0;
  #events = 0;
  readonly #caseOf = new ColumnParts(Int32Array, 0);
  readonly #activityOf = new ColumnParts(Int32Array, 0);
  readonly #time = new ColumnParts(Float64Array, NaN);
  readonly #start = new ColumnParts(Float64Array, NaN);
  readonly #lifecycleOf = new ColumnParts(Int32Array, -1);
  readonly #resourceOf = new ColumnParts(Int32Array, -1);
  readonly #columns: AttributeColumn[] = [];
  readonly #utf8 = new TextDecoder();

  constructor(setup: XesScanSetup) {
    compiled ??= compileBuiltWasm(import.meta.url, CANDIDATES);
    const pages = Math.ceil((8 << 20) / PAGE);
    this.#memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.#memory } });
    const wasm = instance.exports as unknown as XesScanExports;
    if (wasm.xesScanVersion() !== SCAN_VERSION) {
      throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
        `build/xes-scan.wasm has layout version ${wasm.xesScanVersion()}, expected ` +
        `${SCAN_VERSION}; rebuild it with \`npm run build:wasm\``);
    }
    this.#wasm = wasm;
    this.#readDate = setup.readDate;
    // The module's globals get their first values here (its start function is exported).
    wasm._initialize();
    wasm.heapStart(64);
    wasm.setup(BATCH_EVENTS, BATCH_VALUES, BATCH_DEFERRED, setup.maxTokenBytes,
      setup.naiveUtc ? 1 : 0);
    const at = wasm.layout() >>> 0;
    this.#layout = [...new Uint32Array(this.#memory.buffer, at, 19)];
    this.#reserveBlock(FIRST_BLOCK);
    for (const { key, role } of setup.roles) {
      const bytes = Buffer.from(key, 'utf8');
      this.#bytes().set(bytes, this.#blockAt);
      wasm.defineKey(this.#blockAt, bytes.length, role);
    }
  }

  #bytes(): Uint8Array {
    return new Uint8Array(this.#memory.buffer);
  }

  #reserveBlock(bytes: number): void {
    this.#blockRoom = bytes;
    this.#blockAt = this.#wasm.alloc(bytes + SLACK) >>> 0;
  }

  /** Scans the next bytes of the body; throws {@link XesScanMiss} when it leaves the shape. */
  write(chunk: Uint8Array): void {
    const carry = this.#carry;
    if (carry + chunk.length > this.#blockRoom) {
      // A bigger block (the old one stays behind in the bump heap, unused).
      const old = this.#blockAt;
      this.#reserveBlock(Math.max(this.#blockRoom * 2, carry + chunk.length));
      this.#bytes().copyWithin(this.#blockAt, old, old + carry);
    }
    this.#bytes().set(chunk, this.#blockAt + carry);
    const end = carry + chunk.length;
    const pos = this.scanRegion(this.#blockAt, 0, end);
    this.#carry = end - pos;
    if (pos > 0 && pos < end) {
      this.#bytes().copyWithin(this.#blockAt, this.#blockAt + pos, this.#blockAt + end);
    }
  }

  /**
   * Scans the bytes [pos, end) of the region at `base` of the scanner's memory (8 readable
   * bytes past `end`); answers where the unfinished rest begins (the next call reads it
   * again, before what follows it). Throws {@link XesScanMiss} when the text leaves the shape.
   */
  scanRegion(base: number, pos: number, end: number): number {
    this.#scanBase = base;
    for (;;) {
      const status = this.#wasm.scan(base, pos, end);
      this.#readDeferred();
      pos = this.#wasm.position();
      if (status === FLUSH) {
        this.#drain();
        continue;
      }
      if (status !== MORE) throw this.#miss(status, pos);
      return pos;
    }
  }

  /** A region of `bytes` bytes of the scanner's memory, for bytes written there directly. */
  region(bytes: number): number {
    return this.#wasm.alloc(bytes) >>> 0;
  }

  /**
   * Makes room for the case ids of the whole file at once, guessed from those read so far in
   * `share` (0 to 1) of it: a file of millions of traces then skips the dictionary's growth.
   */
  reserveCases(share: number): void {
    const header = new Uint32Array(this.#memory.buffer, this.#layout[L.cases], 12);
    const [size, poolUsed] = [header[5], header[7]];
    if (share <= 0 || share >= 1 || size < 1024) return;
    const scale = 1.1 / share;
    this.#wasm.reserveCases(Math.min(Math.ceil(size * scale), 2 ** 26),
      Math.min(Math.ceil(poolUsed * scale), 2 ** 30));
  }

  /** The scanner's memory (shared, so another thread may write the regions it is given). */
  get memory(): WebAssembly.Memory {
    return this.#memory;
  }

  #miss(status: number, pos: number): XesScanMiss {
    const at = this.#scanBase + pos;
    const near = Buffer.from(this.#bytes().slice(at, at + 40)).toString('latin1');
    return new XesScanMiss(`${FAILURES[status] ?? `status ${status}`} at ${JSON.stringify(near)}`);
  }

  /** Ends the body: `</log>` read, nothing (`leftover` bytes) left over. */
  end(leftover = this.#carry): ScannedBody {
    if (this.#wasm.finished() === 0 || leftover !== 0) {
      throw new XesScanMiss('the document ends before </log>');
    }
    this.#drain();
    return this.#body();
  }

  /** Reads the dates the last call left aside, into the batches. */
  #readDeferred(): void {
    const n = this.#wasm.deferredCount();
    if (n === 0) return;
    const buffer = this.#memory.buffer;
    const at = (word: number) => new Int32Array(buffer, this.#layout[word], n);
    const [kinds, rows, froms, lengths] = [at(L.dKind), at(L.dIndex), at(L.dFrom),
      at(L.dLength)];
    const bytes = new Uint8Array(buffer);
    const events = [L.evTime, L.evStart].map((word) =>
      new Float64Array(buffer, this.#layout[word], BATCH_EVENTS));
    const values = new Float64Array(buffer, this.#layout[L.vBits], BATCH_VALUES + MARGIN);
    const targets = [events[0], events[1], values, values];
    for (let k = 0; k < n; k++) {
      const from = this.#scanBase + froms[k];
      const text = this.#utf8.decode(bytes.subarray(from, from + lengths[k]));
      const x = kinds[k] === DEFER_NUMBER ? numberOf(text) : this.#readDate(text);
      // XesReader rejects such an event, or keeps such a value as text: the column then
      // mixes kinds (or holds text alone, which is rare enough to leave to it).
      if (Number.isNaN(x)) throw new XesScanMiss('a value that does not read in its type');
      targets[kinds[k]][rows[k]] = x;
    }
    this.#wasm.deferredRead();
  }

  /** Moves the batches' rows into the whole columns. */
  #drain(): void {
    const wasm = this.#wasm;
    const buffer = this.#memory.buffer;
    const n = wasm.batchEvents();
    const lay = this.#layout;
    this.#caseOf.add(new Int32Array(buffer, lay[L.evCase], n));
    this.#activityOf.add(new Int32Array(buffer, lay[L.evActivity], n));
    this.#time.add(new Float64Array(buffer, lay[L.evTime], n));
    this.#start.add(new Float64Array(buffer, lay[L.evStart], n));
    this.#lifecycleOf.add(new Int32Array(buffer, lay[L.evLifecycle], n));
    this.#resourceOf.add(new Int32Array(buffer, lay[L.evResource], n));
    const before = this.#events;
    this.#events += n;
    this.#addColumns(buffer, before);
    const values = wasm.batchValues();
    const slots = new Int32Array(buffer, lay[L.vSlot], values);
    const rows = new Int32Array(buffer, lay[L.vIndex], values);
    const bits = new Float64Array(buffer, lay[L.vBits], values);
    const columns = this.#columns;
    for (let k = 0; k < values; k++) {
      const column = columns[slots[k]];
      if (column.values !== null) column.values.set(rows[k], bits[k]);
      else (column.page ??= column.parts.page(n))[rows[k] - before] = bits[k];
    }
    for (const column of columns) {
      if (column.parts === null) continue;
      column.parts.addOwned(column.page, n);
      column.page = null;
    }
    wasm.drained();
  }

  /** Takes up the columns the scanner opened since the last drain (`before` events ago). */
  #addColumns(buffer: ArrayBufferLike, before: number): void {
    const count = this.#wasm.columnCount();
    const words = new Int32Array(buffer, this.#layout[L.slots], count * (SLOT_BYTES / 4));
    for (let s = this.#columns.length; s < count; s++) {
      const type = words[s * (SLOT_BYTES / 4) + 2];
      const trace = words[s * (SLOT_BYTES / 4)] === 0;
      if (trace) {
        const values = isNumeric(type) ? new Growable(Float64Array, NaN)
          : new Growable(Int32Array, -1);
        this.#columns.push({ trace, type, values, parts: null, page: null });
        continue;
      }
      const parts = isNumeric(type) ? new ColumnParts(Float64Array, NaN)
        : new ColumnParts(Int32Array, -1);
      // The events before this batch hold no value of a key first seen in it.
      parts.addOwned(null, before);
      this.#columns.push({ trace, type, values: null, parts, page: null });
    }
  }

  #body(): ScannedBody {
    const lay = this.#layout;
    this.#checkTexts();
    const memory = this.#memory.buffer;
    const caseIds = textsOf(memory, lay[L.cases]);
    const keyNames = textsOf(memory, lay[L.keys]);
    const words = new Int32Array(this.#memory.buffer, lay[L.slots],
      this.#columns.length * (SLOT_BYTES / 4));
    const columns = this.#columns.map((column, s): ScannedColumn => {
      const name = keyNames[words[s * (SLOT_BYTES / 4) + 1]];
      let data: Int32Array | Float64Array;
      if (column.values !== null) {
        column.values.padTo(caseIds.length);
        data = column.values.data.subarray(0, column.values.length);
      } else {
        data = column.parts.whole();
      }
      const base = { trace: column.trace, name, xesType: column.type };
      if (isNumeric(column.type)) {
        return { ...base, numbers: data as Float64Array, codes: null, texts: null };
      }
      const texts = textsOf(memory, lay[L.slots] + s * SLOT_BYTES + SLOT_DICT);
      return { ...base, numbers: null, codes: data as Int32Array, texts };
    });
    return {
      caseIds, caseOf: this.#caseOf.whole(), activities: textsOf(memory, lay[L.activities]),
      activityOf: this.#activityOf.whole(), time: this.#time.whole(),
      start: this.#start.wholeOrNull(), lifecycles: textsOf(memory, lay[L.lifecycles]),
      lifecycleOf: this.#lifecycleOf.wholeOrNull(), resources: textsOf(memory, lay[L.resources]),
      resourceOf: this.#resourceOf.wholeOrNull(), columns,
    };
  }

  /**
   * Throws when the strings of every dictionary would not fit in what V8's heap has left
   * (see wasm-dictionaries.ts); the import then declines to the JavaScript readers.
   */
  #checkTexts(): void {
    const lay = this.#layout;
    const headers = [lay[L.cases], lay[L.keys], lay[L.activities], lay[L.lifecycles],
      lay[L.resources]];
    this.#columns.forEach((column, s) => {
      if (!isNumeric(column.type)) headers.push(lay[L.slots] + s * SLOT_BYTES + SLOT_DICT);
    });
    if (!textsFit(this.#memory.buffer, headers)) {
      throw new Error('the texts would not fit in the heap');
    }
  }
}

/** Whether columns of XES type `type` hold numbers (assembly/xes/tables.ts isNumeric). */
function isNumeric(type: number): boolean {
  return type === XES_DATE || type === XES_INT || type === XES_FLOAT;
}

/** An int or float value as `typeValue` reads it: NaN when it is no number. */
function numberOf(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}
