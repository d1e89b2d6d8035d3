/**
 * Turns a stream of raw events into a {@link CompiledLog}.
 *
 * Importers call {@link LogBuilder.addEvent} once per source row or XES event, in file order,
 * then {@link LogBuilder.finish}. Finishing sorts events by case, then time, then file position
 * (a stable order), pairs lifecycle start/complete events into activity instances, and types
 * the attribute columns.
 */
import { LedgerflowError } from '../errors.js';
import {
  AttributeBuilder, type RawValue, type TextColumnInput, type TimeParser,
} from './attribute-builder.js';
import type {
  AttributeColumn, AttributeKind, CompiledLog, LogInfo,
} from './compiled-log.js';
import { placeColumn } from './case-columns.js';
import type { RawColumn } from './raw-column.js';
import {
  instantColumns, instantOnly, pairedColumns, transitionOf, type EventColumns, type RawEvents,
} from './event-columns.js';
import type { CodeArray } from './code-array.js';
import { Dictionary, Growable } from './growable.js';
import { defineLazyCaseIds } from './lazy-case-ids.js';
import { caseTimeOrder, isIdentity } from './stable-order.js';

/** How lifecycle transitions are treated. */
export type LifecycleMode =
  /** start/complete of one activity become one instance with a start and an end time. */
  | 'pair'
  /** every event is an instant event, whatever its transition says. */
  | 'ignore';

/** Options of a {@link LogBuilder}. */
export interface LogBuilderOptions {
  lifecycle?: LifecycleMode;
  /**
   * Move event columns that hold one value per case (possibly only on the case's first event)
   * into the case table. Right for flat tables (CSV, Parquet); XES says where attributes sit.
   */
  promoteCaseAttributes?: boolean;
  /** Used to recognise timestamp columns among text attributes; null to keep them text. */
  parseTime?: TimeParser | null;
}

/** Whole raw columns for {@link LogBuilder.fromColumns}; one entry per raw event. */
export interface RawColumns {
  /** The case ids in code order; empty when `caseIdReader` reads them. */
  caseIds: string[];
  /**
   * The case count, and what reads the ids when the log's `caseIds` are first read (see
   * lazy-case-ids.ts): mining needs only case codes, and millions of ids made as strings at
   * once weigh on every collection of the heap that follows.
   */
  caseIdReader?: { count: number; read: () => string[] };
  caseOf: Int32Array;
  activities: string[];
  /** Activity codes, as narrow as their dictionary allows (code-array.ts). */
  activityOf: CodeArray;
  /** End times, epoch ms. */
  time: Float64Array;
  /** Start times (NaN for none), or null for none at all. */
  start: Float64Array | null;
  /** Transitions as {@link transitionOf} gives them, or null for none at all. */
  transition: Int8Array | null;
  resources: string[];
  /** Resource codes, -1 for none; null when there is no resource column. */
  resourceOf: CodeArray | null;
  /** Text and number attribute columns, in the order their first values appear. */
  attributes: (({ name: string } & TextColumnInput) | NumberColumnInput)[];
  /**
   * Columns their importer typed whole (XES says each value's type), in the order their keys
   * first appear: event columns one value per raw event, case columns one per case code.
   * Event columns go after `attributes`.
   */
  typed?: { events: TypedColumn[]; cases: TypedColumn[] };
}

/**
 * A whole attribute column of numbers read by a columnar importer, one value per raw event
 * (NaN for none), or the loader of one it kept out of memory (called once, when the builder
 * reaches the column). Either way the array is the builder's: the log may keep it.
 */
export interface NumberColumnInput {
  name: string;
  values: Float64Array | (() => Float64Array);
}

/** A whole typed attribute column, for {@link RawColumns}. */
export interface TypedColumn {
  name: string;
  column: RawColumn;
}

/** Accumulates raw events and compiles them. */
export class LogBuilder {
  readonly #options: Required<LogBuilderOptions>;
  #cases = new Dictionary();
  /** Set by {@link fromColumns} when the case ids are read later. */
  #caseIdReader: { count: number; read: () => string[] } | null = null;
  #activities = new Dictionary();
  #resources = new Dictionary();
  #caseOf: Growable<Int32Array> = new Growable(Int32Array);
  /** Int32Array unless adopted whole by {@link fromColumns} (which takes no more events). */
  #activityOf: Growable<CodeArray> = new Growable<CodeArray>(Int32Array);
  #time: Growable<Float64Array> = new Growable(Float64Array, NaN);
  #start: Growable<Float64Array> = new Growable(Float64Array, NaN);
  #transition: Growable<Int8Array> = new Growable(Int8Array);
  #resourceOf: Growable<CodeArray> = new Growable<CodeArray>(Int32Array, -1);
  readonly #eventAttributes = new Map<string, AttributeBuilder>();
  readonly #caseAttributes = new Map<string, AttributeBuilder>();
  #hasResource = false;
  /** True for a builder made by {@link fromColumns}: its code arrays may be narrow. */
  #adopted = false;

  constructor(options: LogBuilderOptions = {}) {
    this.#options = {
      lifecycle: options.lifecycle ?? 'pair',
      promoteCaseAttributes: options.promoteCaseAttributes ?? false,
      parseTime: options.parseTime ?? null,
    };
  }

  /**
   * A builder holding whole columns read by a columnar importer, as if each row had been
   * added with {@link LogBuilder.addEvent} and its attributes set, in file order.
   * @internal
   */
  static fromColumns(options: LogBuilderOptions, columns: RawColumns): LogBuilder {
    const builder = new LogBuilder(options);
    builder.#adopted = true;
    builder.#cases = new Dictionary(columns.caseIds);
    builder.#caseIdReader = columns.caseIdReader ?? null;
    builder.#activities = new Dictionary(columns.activities);
    builder.#resources = new Dictionary(columns.resources);
    builder.#caseOf = Growable.of(Int32Array, columns.caseOf);
    builder.#activityOf = Growable.of<CodeArray>(Int32Array, columns.activityOf);
    builder.#time = Growable.of(Float64Array, columns.time, NaN);
    // Absent start times and transitions stay empty: finishing reads them as none at all.
    if (columns.start !== null) builder.#start = Growable.of(Float64Array, columns.start, NaN);
    if (columns.transition !== null) {
      builder.#transition = Growable.of(Int8Array, columns.transition);
    }
    if (columns.resourceOf !== null && columns.resources.length > 0) {
      builder.#resourceOf = Growable.of<CodeArray>(Int32Array, columns.resourceOf, -1);
      builder.#hasResource = true;
    }
    for (const attribute of columns.attributes) {
      builder.#eventAttributes.set(attribute.name, 'values' in attribute
        ? AttributeBuilder.typedLater(attribute.name, 'number', numberColumnOf(attribute.values))
        : new AttributeBuilder(attribute.name, attribute));
    }
    for (const { name, column } of columns.typed?.events ?? []) {
      builder.#eventAttributes.set(name, AttributeBuilder.typed(name, column));
    }
    for (const { name, column } of columns.typed?.cases ?? []) {
      builder.#caseAttributes.set(name, AttributeBuilder.typed(name, column));
    }
    return builder;
  }

  /** Number of raw events added so far. */
  get eventCount(): number {
    return this.#caseOf.length;
  }

  /**
   * The distinct texts added one by one so far (case ids, activities, resources, attribute
   * texts), and their characters: what a row importer checks against V8's heap as it goes.
   */
  textsHeld(): { count: number; chars: number } {
    let count = 0;
    let chars = 0;
    for (const dictionary of [this.#cases, this.#activities, this.#resources]) {
      count += dictionary.size;
      chars += dictionary.chars;
    }
    for (const column of [...this.#eventAttributes.values(), ...this.#caseAttributes.values()]) {
      const held = column.textsHeld;
      count += held.count;
      chars += held.chars;
    }
    return { count, chars };
  }

  /** Declares a case, so that a case without events (an empty XES trace) is kept. */
  addCase(caseId: string): void {
    this.#cases.code(caseId);
  }

  /**
   * Adds one raw event. `time` is the end (or only) time in epoch ms; `start` is NaN unless the
   * source has a separate start column; `lifecycle` is the transition text or null.
   */
  addEvent(
    caseId: string,
    activity: string,
    time: number,
    start = NaN,
    lifecycle: string | null = null,
    resource: string | null = null,
  ): void {
    // Codes past a narrow array's width would wrap: such a builder is finished as it came.
    if (this.#adopted) throw new Error('a builder made from whole columns takes no events');
    this.#caseOf.push(this.#cases.code(caseId));
    this.#activityOf.push(this.#activities.code(activity));
    this.#time.push(time);
    this.#start.push(start);
    this.#transition.push(transitionOf(lifecycle));
    if (resource !== null && resource !== '') {
      this.#hasResource = true;
      this.#resourceOf.set(this.eventCount - 1, this.#resources.code(resource));
    }
  }

  /**
   * Rewrites the end time (or, with `which` 'start', the start time) of raw event `index`, for
   * an importer that learns late how a column's dates read (day-first or month-first).
   */
  setEventTime(index: number, time: number, which: 'end' | 'start' = 'end'): void {
    if (which === 'end') this.#time.set(index, time);
    else this.#start.set(index, time);
  }

  /** Sets an attribute of the event added last. */
  setEventAttribute(name: string, value: RawValue, kind?: AttributeKind): void {
    this.eventAttributeBuilder(name).set(this.eventCount - 1, value, kind);
  }

  /**
   * The collector of event attribute `name`, created on first use (which fixes the column's
   * place in the result). A table importer keeps one per column and calls `set(eventIndex, …)`
   * itself, instead of looking the name up for every cell.
   * @internal
   */
  eventAttributeBuilder(name: string): AttributeBuilder {
    let column = this.#eventAttributes.get(name);
    if (column === undefined) {
      column = new AttributeBuilder(name);
      this.#eventAttributes.set(name, column);
    }
    return column;
  }

  /** Sets an attribute of a case (declaring the case if new). */
  setCaseAttribute(caseId: string, name: string, value: RawValue, kind?: AttributeKind): void {
    const code = this.#cases.code(caseId);
    let column = this.#caseAttributes.get(name);
    if (column === undefined) {
      column = new AttributeBuilder(name);
      this.#caseAttributes.set(name, column);
    }
    column.set(code, value, kind);
  }

  /** Sorts, pairs and types everything added; the builder must not be used afterwards. */
  finish(info: Omit<LogInfo, 'lifecycle'>): CompiledLog {
    const rawCount = this.eventCount;
    const caseCount = this.#caseIdReader?.count ?? this.#cases.size;
    const { offsets, activity, end, start, resource, sourceIndex, hasIntervals, summary } =
      this.#eventColumns(rawCount, caseCount);
    const count = activity.length;

    const caseAttributes = new Map<string, AttributeColumn>();
    for (const [name, builder] of this.#caseAttributes) {
      if (builder.empty) continue;
      caseAttributes.set(name, builder.finish(caseCount, this.#options.parseTime));
    }
    // One column at a time, each let go of once it is moved: a big flat import otherwise held
    // every column's raw values and its reordered copy at once (a 2 GB CSV peaked there at
    // 3.9 GB RSS). A column that belongs to the case table gets no event-length copy at all.
    const eventAttributes = new Map<string, AttributeColumn>();
    // A file sorted by case and time (most exports) needs no reordering: columns are copied.
    const inOrder = sourceIndex === null || isIdentity(sourceIndex, rawCount);
    for (const name of [...this.#eventAttributes.keys()]) {
      const builder = this.#eventAttributes.get(name) as AttributeBuilder;
      this.#eventAttributes.delete(name);
      if (builder.empty) continue;
      placeColumn(name, builder.rawColumn(rawCount, this.#options.parseTime),
        inOrder ? null : sourceIndex, offsets, eventAttributes, caseAttributes,
        this.#options.promoteCaseAttributes);
    }

    const log: CompiledLog = {
      caseCount,
      eventCount: count,
      caseIds: this.#cases.values,
      activities: this.#activities.values,
      resources: this.#resources.values,
      offsets,
      activity,
      time: end,
      start: hasIntervals ? start : end,
      hasIntervals,
      resource,
      eventAttributes,
      caseAttributes,
      info: { ...info, lifecycle: summary },
    };
    const reader = this.#caseIdReader;
    if (reader !== null) defineLazyCaseIds(log, checkedIds(reader));
    return log;
  }

  /**
   * The event columns in compiled order; the raw ones are let go of afterwards (attributes
   * are reordered through `sourceIndex` alone).
   */
  #eventColumns(rawCount: number, caseCount: number): EventColumns {
    const caseOf = this.#caseOf.data;
    const time = this.#time.data;
    for (let i = 0; i < rawCount; i++) {
      if (Number.isNaN(time[i])) {
        throw new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP',
          `event ${i + 1} has no timestamp; every event needs one`);
      }
    }
    const rawOrder = caseTimeOrder(caseOf, time, rawCount, caseCount);
    // Without transitions or start times every raw event is its own instance, already in
    // (case, start, position) order: the pairing walk and the second sort would change nothing.
    // Every added event has a start (NaN for none) and a transition; columns handed over
    // whole may have neither (empty). Resource codes stop at the last event that has one.
    const hasStart = this.#start.length > 0;
    if (hasStart) this.#start.padTo(rawCount);
    this.#resourceOf.padTo(rawCount);
    const raw: RawEvents = {
      caseOf, activityOf: this.#activityOf.data, time,
      explicitStart: hasStart ? this.#start.data : null,
      transition: this.#transition.length === 0 ? null : this.#transition.data,
      resourceOf: this.#hasResource ? this.#resourceOf.data : null,
      pair: this.#options.lifecycle === 'pair',
    };
    const columns = instantOnly(raw, rawCount)
      ? instantColumns(raw, rawOrder, rawCount, caseCount)
      : pairedColumns(raw, rawOrder, rawCount, caseCount);
    this.#caseOf = new Growable(Int32Array);
    this.#activityOf = new Growable(Int32Array);
    this.#time = new Growable(Float64Array, NaN);
    this.#start = new Growable(Float64Array, NaN);
    this.#transition = new Growable(Int8Array);
    this.#resourceOf = new Growable(Int32Array, -1);
    return columns;
  }
}

export { transitionOf };

/** A number column's raw column, or its loader's. */
function numberColumnOf(
  values: Float64Array | (() => Float64Array),
): RawColumn | (() => RawColumn) {
  return typeof values === 'function' ? () => ({ kind: 'number', values: values() })
    : { kind: 'number', values };
}

/** The reader's ids, held to the count it promised (a short or long list is a fault here). */
function checkedIds(reader: { count: number; read: () => string[] }): () => string[] {
  return () => {
    const ids = reader.read();
    if (ids.length !== reader.count) {
      throw new Error(`the case id reader gave ${ids.length} ids for ${reader.count} cases`);
    }
    return ids;
  };
}
