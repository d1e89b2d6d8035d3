/**
 * Turns the element events of an XES document into calls on a {@link LogBuilder}.
 *
 * Only the shape of XES matters here, not its namespaces or extensions:
 *
 * ```
 *  depth 1  <log>                    the root; log attributes, <global>, <classifier> and
 *  depth 2    <trace>                <extension> beside the traces are read past
 *  depth 3      <string key=…/>      a case attribute (concept:name = case id)
 *  depth 3      <event>
 *  depth 4        <date key=…/>      an event attribute; anything inside it (meta-attributes,
 *  depth 5+         …                list values) belongs to it, never to the event
 * ```
 *
 * Every subtree that defines nothing (a <global>, a list's values) is skipped by remembering
 * the depth where it began, so its elements are never looked at one by one.
 */
import { LedgerflowError } from '../../errors.js';
import { checkTextsHeld, HEAP_CHECK_ROWS, XES_BYTES_PER_TEXT } from '../heap-budget.js';
import type { ImportOptions } from '../import-options.js';
import type { LogBuilder } from '../../log/log-builder.js';
import { checkDepth, MAX_DEPTH, type XmlPosition } from './xml-guard.js';
import { isCollection, type TypedValue, typeValue, xesTypeOf } from './xes-values.js';

/** Which XES attribute keys play which role (the mapping options may rename them). */
export interface XesKeys {
  case: string;
  activity: string;
  timestamp: string;
  startTimestamp: string | null;
  lifecycle: string;
  resource: string;
}

/** The standard XES keys, with the user's mapping laid over them. */
export function xesKeys(options: ImportOptions): XesKeys {
  const m = options.mapping ?? {};
  return {
    case: m.case ?? 'concept:name',
    activity: m.activity ?? 'concept:name',
    timestamp: m.timestamp ?? 'time:timestamp',
    startTimestamp: m.startTimestamp ?? null,
    lifecycle: m.lifecycle ?? 'lifecycle:transition',
    resource: m.resource ?? 'org:resource',
  };
}

/** Counts of what the reader read past, for the notes after an import. */
export interface XesCounts {
  traces: number;
  unnamedTraces: number;
  renamedTraces: number;
  collections: number;
  eventsOutsideTraces: number;
  foreignElements: number;
  skipped: Record<string, number>;
}

const XES_NAMESPACE = /^https?:\/\/(?:www\.)?(?:xes-standard\.org|code\.deckfour\.org\/xes)/i;

/** The state machine between the XML parser and the log builder. */
export class XesReader {
  readonly counts: XesCounts = {
    traces: 0, unnamedTraces: 0, renamedTraces: 0, collections: 0, eventsOutsideTraces: 0,
    foreignElements: 0, skipped: {},
  };
  readonly #builder: LogBuilder;
  readonly #keys: XesKeys;
  readonly #file: string;
  readonly #at: XmlPosition;
  readonly #parseTime: (text: string) => number;
  readonly #skipBad: boolean;
  readonly #typed: TypedValue = { value: null, kind: 'string' };

  #depth = 0;
  /** Depth of the element whose subtree is being skipped; 0 when none. */
  #skipFrom = 0;
  #rootPrefix: string | null = null;
  #inTrace = false;
  #inEvent = false;

  // The current trace. Its attributes wait until its case id is known.
  #traceName: string | null = null;
  #caseId: string | null = null;
  readonly #seenCases = new Set<string>();
  #traceKeys: string[] = [];
  #traceTypes: number[] = [];
  #traceValues: string[] = [];

  // The current event, in fields and reused arrays: no object per event.
  #eventLine = 0;
  #activity: string | null = null;
  #timeText: string | null = null;
  #startText: string | null = null;
  #lifecycle: string | null = null;
  #resource: string | null = null;
  readonly #attrKeys: string[] = [];
  readonly #attrTypes: number[] = [];
  readonly #attrValues: string[] = [];
  #attrCount = 0;

  constructor(
    builder: LogBuilder, keys: XesKeys, file: string, at: XmlPosition,
    parseTime: (text: string) => number, skipBadRows: boolean,
  ) {
    this.#builder = builder;
    this.#keys = keys;
    this.#file = file;
    this.#at = at;
    this.#parseTime = parseTime;
    this.#skipBad = skipBadRows;
  }

  /** True once the root element was seen. */
  get started(): boolean {
    return this.#rootPrefix !== null;
  }

  /**
   * True inside an unprefixed root <log>, at its first level, before any trace: where
   * another reader may take over the traces.
   */
  get atLogLevel(): boolean {
    return this.#depth === 1 && this.#skipFrom === 0 && this.#rootPrefix === ''
      && !this.#inTrace && this.counts.traces === 0;
  }

  /** Handles a start tag (a self-closing tag is a start tag followed by its end tag). */
  openTag(qualified: string, attributes: Record<string, string>): void {
    const depth = ++this.#depth;
    checkDepth(depth, this.#file, this.#at);
    if (this.#skipFrom !== 0) return;
    if (depth === 1) {
      this.#openRoot(qualified, attributes);
      return;
    }
    const name = this.#localName(qualified);
    if (name === null) {
      this.counts.foreignElements++;
      this.#skipFrom = depth;
    } else if (this.#inEvent) {
      if (depth === 4) this.#eventAttribute(name, attributes);
      this.#skipFrom = depth;
    } else if (this.#inTrace) {
      if (name === 'event') {
        this.#openEvent();
        return;
      }
      this.#traceAttribute(name, attributes);
      this.#skipFrom = depth;
    } else if (name === 'trace') {
      this.#openTrace();
    } else {
      if (name === 'event') this.counts.eventsOutsideTraces++;
      this.#skipFrom = depth;
    }
  }

  /**
   * Handles `<element key="…" value="…"/>` for an XES value type (string, date, int, float,
   * boolean, id): the same as openTag and closeTag, without building an attribute object.
   */
  leafAttribute(element: string, key: string, value: string): void {
    const depth = this.#depth + 1;
    if (depth === 1 || depth > MAX_DEPTH) {
      // The root, or too deep: the general path says what is wrong.
      this.openTag(element, { key, value });
      this.closeTag();
      return;
    }
    // Without a subtree being skipped, an element inside an event is at depth 4, one inside a
    // trace at depth 3: openTag would read exactly these, and skip anything else.
    if (this.#skipFrom !== 0) return;
    if (this.#inEvent) this.#eventValue(key, xesTypeOf(element), value);
    else if (this.#inTrace) this.#traceValue(key, xesTypeOf(element), value);
  }

  /** Handles an end tag. */
  closeTag(): void {
    const depth = this.#depth--;
    if (this.#skipFrom !== 0) {
      if (depth === this.#skipFrom) this.#skipFrom = 0;
      return;
    }
    if (depth === 3 && this.#inEvent) this.#closeEvent();
    else if (depth === 2 && this.#inTrace) this.#closeTrace();
  }

  #openRoot(qualified: string, attributes: Record<string, string>): void {
    const colon = qualified.indexOf(':');
    const prefix = colon < 0 ? '' : qualified.slice(0, colon);
    const local = colon < 0 ? qualified : qualified.slice(colon + 1);
    const namespace = attributes[prefix === '' ? 'xmlns' : `xmlns:${prefix}`];
    const inXes = namespace === undefined ? prefix === '' : XES_NAMESPACE.test(namespace);
    if (local !== 'log' || !inXes) {
      const what = namespace === undefined ? '' : ` in namespace ${JSON.stringify(namespace)}`;
      throw new LedgerflowError('LF_ERR_INGEST_NOT_XES',
        `the root element is <${qualified}>${what}, an XES log starts with <log> (namespace ` +
        'http://www.xes-standard.org/ or none); export the log as XES, or import it as CSV',
        { file: this.#file, line: this.#at.line });
    }
    this.#rootPrefix = prefix === '' ? '' : `${prefix}:`;
  }

  /** The XES name of an element, or null for an element of another namespace. */
  #localName(qualified: string): string | null {
    const colon = qualified.indexOf(':');
    if (colon < 0) return qualified;
    const prefix = this.#rootPrefix as string;
    if (prefix.length !== colon + 1 || !qualified.startsWith(prefix)) return null;
    return qualified.slice(colon + 1);
  }

  #openTrace(): void {
    this.#inTrace = true;
    this.counts.traces++;
    this.#traceName = null;
    this.#caseId = null;
    this.#traceKeys = [];
    this.#traceTypes = [];
    this.#traceValues = [];
  }

  #traceAttribute(element: string, attributes: Record<string, string>): void {
    const type = xesTypeOf(element);
    const key = attributes.key;
    if (type === 0 || key === undefined) return;
    if (isCollection(type)) {
      this.counts.collections++;
      return;
    }
    this.#traceValue(key, type, attributes.value ?? '');
  }

  #traceValue(key: string, type: number, value: string): void {
    if (key === this.#keys.case && this.#traceName === null && this.#caseId === null) {
      this.#traceName = value;
    } else if (this.#caseId !== null) {
      this.#setCaseAttribute(key, type, value);
    } else {
      this.#traceKeys.push(key);
      this.#traceTypes.push(type);
      this.#traceValues.push(value);
    }
  }

  /** Fixes the case id of the current trace (at its first event or its end). */
  #resolveCase(): string {
    if (this.#caseId !== null) return this.#caseId;
    let id = this.#traceName;
    if (id === null || id === '') {
      id = `trace-${this.counts.traces}`;
      this.counts.unnamedTraces++;
    }
    // Two traces with one name are two cases: merging them would interleave their events.
    if (this.#seenCases.has(id)) {
      let n = 2;
      while (this.#seenCases.has(`${id}#${n}`)) n++;
      id = `${id}#${n}`;
      this.counts.renamedTraces++;
    }
    this.#seenCases.add(id);
    this.#caseId = id;
    this.#builder.addCase(id);
    for (let i = 0; i < this.#traceKeys.length; i++) {
      this.#setCaseAttribute(this.#traceKeys[i], this.#traceTypes[i], this.#traceValues[i]);
    }
    return id;
  }

  #setCaseAttribute(key: string, type: number, value: string): void {
    typeValue(type, value, this.#parseTime, this.#typed);
    this.#builder.setCaseAttribute(this.#caseId as string, key, this.#typed.value,
      this.#typed.kind);
  }

  #closeTrace(): void {
    this.#resolveCase();
    this.#inTrace = false;
  }

  #openEvent(): void {
    this.#inEvent = true;
    this.#eventLine = this.#at.line;
    this.#activity = null;
    this.#timeText = null;
    this.#startText = null;
    this.#lifecycle = null;
    this.#resource = null;
    this.#attrCount = 0;
  }

  #eventAttribute(element: string, attributes: Record<string, string>): void {
    const type = xesTypeOf(element);
    const key = attributes.key;
    if (type === 0 || key === undefined) return;
    if (isCollection(type)) {
      this.counts.collections++;
      return;
    }
    this.#eventValue(key, type, attributes.value ?? '');
  }

  #eventValue(key: string, type: number, value: string): void {
    const keys = this.#keys;
    if (key === keys.activity) this.#activity = value;
    else if (key === keys.timestamp) this.#timeText = value;
    else if (key === keys.lifecycle) this.#lifecycle = value;
    else if (key === keys.resource) this.#resource = value;
    else if (key === keys.startTimestamp) this.#startText = value;
    else {
      const n = this.#attrCount++;
      this.#attrKeys[n] = key;
      this.#attrTypes[n] = type;
      this.#attrValues[n] = value;
    }
  }

  #closeEvent(): void {
    this.#inEvent = false;
    const caseId = this.#resolveCase();
    const activity = this.#activity;
    if (activity === null || activity === '') {
      this.#reject('missing activity', () => new LedgerflowError('LF_ERR_INGEST_MISSING_COLUMN',
        `the event has no ${JSON.stringify(this.#keys.activity)} attribute naming its ` +
        'activity; add it, map another key (mapping.activity), or import with skipBadRows',
        this.#where(this.#keys.activity)));
      return;
    }
    const time = this.#readTime(this.#timeText, this.#keys.timestamp);
    if (Number.isNaN(time)) return;
    let start = NaN;
    if (this.#startText !== null && this.#startText !== '') {
      start = this.#readTime(this.#startText, this.#keys.startTimestamp as string);
      if (Number.isNaN(start)) return;
    }
    const builder = this.#builder;
    builder.addEvent(caseId, activity, time, start, this.#lifecycle, this.#resource);
    if (builder.eventCount % HEAP_CHECK_ROWS === 0) {
      const held = builder.textsHeld();
      checkTextsHeld(this.#file, this.#eventLine, held.count, held.chars, XES_BYTES_PER_TEXT);
    }
    const typed = this.#typed;
    for (let i = 0; i < this.#attrCount; i++) {
      typeValue(this.#attrTypes[i], this.#attrValues[i], this.#parseTime, typed);
      builder.setEventAttribute(this.#attrKeys[i], typed.value, typed.kind);
    }
  }

  /** The epoch ms of a time attribute, or NaN after rejecting (skipping) the event. */
  #readTime(text: string | null, key: string): number {
    if (text === null || text.trim() === '') {
      this.#reject('missing timestamp', () => new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP',
        `the event has no ${JSON.stringify(key)} attribute; every event needs a time (map ` +
        'another key with mapping.timestamp, or import with skipBadRows to skip such events)',
        this.#where(key)));
      return NaN;
    }
    const time = this.#parseTime(text);
    if (Number.isNaN(time)) {
      this.#reject('unreadable timestamp', () => new LedgerflowError(
        'LF_ERR_INGEST_BAD_TIMESTAMP',
        'the value is not an xs:dateTime such as 2024-01-31T09:30:00.000+01:00; correct it, ' +
        'or import with skipBadRows to skip such events', { ...this.#where(key), value: text }));
    }
    return time;
  }

  /** Where the current event is, for a message about its `field`. */
  #where(field: string) {
    return { file: this.#file, line: this.#eventLine, field };
  }

  /** Skips and counts the current event under skipBadRows, else throws. */
  #reject(reason: string, error: () => LedgerflowError): void {
    if (!this.#skipBad) throw error();
    this.counts.skipped[reason] = (this.counts.skipped[reason] ?? 0) + 1;
  }
}
