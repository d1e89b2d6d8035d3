/**
 * Collects one attribute's values while a log is read, then types the column.
 *
 * Values arrive either typed (XES says int, date, boolean…) or as text (CSV cells). Text
 * columns are dictionary-encoded as they come; at the end a column whose every distinct text
 * is a number (or true/false, or a timestamp) becomes a number (boolean, time) column.
 * @internal
 */
import type { CodeArray } from './code-array.js';
import type { AttributeColumn, AttributeKind } from './compiled-log.js';
import { Dictionary, Growable } from './growable.js';
import { isNumberText, numberOfText } from './number-text.js';
import { inOwnOrder, type RawColumn } from './raw-column.js';

// A text column whose texts all read as numbers skips the dictionary (see `#numeric`).

/** A value as an importer hands it over; text is typed later by inference. */
export type RawValue = string | number | boolean | null;

/** Parses a timestamp text to epoch ms, NaN when it is not one. */
export type TimeParser = (text: string) => number;

/**
 * A whole text column read elsewhere: each row's code (-1 for none) into `size` distinct texts
 * in order of first appearance, made by `texts` when first needed. `numbers`, when not null,
 * is {@link numberOfText} of every code's text, all of them numbers: inference then needs no
 * text. Without `texts`, codes may also stand for one text twice (a number column does not
 * tell them apart), and the builder takes no further values for the column.
 */
export type TextColumnInput =
  | { codes: ColumnCodes; size: number; texts: () => string[]; numbers: Float64Array | null }
  | { codes: ColumnCodes; size: number; texts: null; numbers: Float64Array };

/**
 * A column's codes, or what reads them when the builder first needs them: an importer that
 * keeps them out of memory (a spill file) hands over a loader, so that only the column being
 * finished is ever held. Loaders may hand back the same memory for each column: the builder
 * reads loaded codes only while it finishes that column, and never writes them.
 */
export type ColumnCodes = CodeArray | (() => CodeArray);

export class AttributeBuilder {
  readonly name: string;
  /** Declared kind, once a typed value arrived; 'string' covers text awaiting inference. */
  kind: AttributeKind | null = null;
  /** True when every value so far came as text (so inference may retype it). */
  textOnly = true;
  #dictionary: Dictionary | null = null;
  /** Makes the texts of a column read elsewhere, until they are first needed. */
  #texts: (() => string[]) | null = null;
  /** The numbers of all texts of a column read elsewhere, when its importer knows them. */
  #knownNumbers: Float64Array | null = null;
  /** True when a column read elsewhere came as numbers without its texts. */
  #numbersOnly = false;
  /**
   * Codes of a text column. A column read elsewhere keeps its array, however narrow; the first
   * value `set` afterwards copies it into an Int32Array of its own (see `#borrowed`).
   */
  codes: Growable<CodeArray> = new Growable<CodeArray>(Int32Array, -1);
  /**
   * True while the column is not the builder's to write: typed whole by its importer, or codes
   * read elsewhere that are still to be loaded, narrower than Int32Array, or in memory a
   * loader may use again. One test on the per-value path of `set` covers them all.
   */
  #borrowed = false;
  /** Reads the codes of a column read elsewhere, until they are first needed. */
  #loadCodes: (() => CodeArray) | null = null;
  numbers = new Growable(Float64Array, NaN);
  booleans = new Growable(Int8Array, -1);
  /**
   * True while every value came as text, every text is a number by the inference rule, and
   * indices only grew. The column then holds numbers straight away instead of hashing every
   * distinct amount into a dictionary. The exact texts stay recoverable, at the cost of one
   * byte per row plus one string per change of value: `#runStart[i]` is 1 when row `i`'s text
   * differs from the previous row's, and `#runTexts` holds those texts in order. A first
   * non-number replays them into the dictionary, giving the codes the text path would give.
   */
  #numeric = false;
  #runStart: Growable<Int8Array> | null = null;
  #runTexts: string[] = [];
  /** Characters of `#runTexts`. */
  #runChars = 0;
  #lastIndex = -1;
  /** A column its importer typed whole (see {@link AttributeBuilder.typed}). */
  #typed: RawColumn | (() => RawColumn) | null = null;

  /**
   * A builder holding a column its importer typed whole, one value per index (an XES
   * importer that reads each key's values in one piece); it takes no further values.
   */
  static typed(name: string, column: RawColumn): AttributeBuilder {
    return AttributeBuilder.typedLater(name, column.kind, column);
  }

  /**
   * {@link typed} for a column of `kind` that `load` reads when the builder first needs it
   * (once; an importer that kept it out of memory until then).
   */
  static typedLater(
    name: string, kind: AttributeKind, load: RawColumn | (() => RawColumn),
  ): AttributeBuilder {
    const builder = new AttributeBuilder(name);
    builder.kind = kind;
    builder.textOnly = false;
    builder.#typed = load;
    builder.#borrowed = true;
    return builder;
  }

  /**
   * @param text a whole text column read elsewhere (a columnar importer). It finishes
   *   exactly as the same texts `set` one by one would.
   */
  constructor(name: string, text?: TextColumnInput) {
    this.name = name;
    if (text !== undefined && text.size > 0) {
      this.kind = 'string';
      if (typeof text.codes === 'function') {
        this.#loadCodes = text.codes;
        this.#borrowed = true;
      } else {
        this.#adopt(text.codes, false);
      }
      this.#texts = text.texts;
      this.#numbersOnly = text.texts === null;
      this.#knownNumbers = text.numbers;
    }
  }

  /** The texts of the column so far, coded in order of first appearance. */
  get dictionary(): Dictionary {
    if (this.#dictionary === null) {
      this.#dictionary = new Dictionary(this.#texts?.() ?? []);
      this.#texts = null;
    }
    return this.#dictionary;
  }

  #adopt(codes: CodeArray, loaded: boolean): void {
    this.codes = Growable.of<CodeArray>(Int32Array, codes, -1);
    this.#borrowed = loaded || !(codes instanceof Int32Array);
  }

  /** Makes the codes the builder's own before a value is set (see `#borrowed`). */
  #ownCodes(): void {
    if (this.#typed !== null) throw new Error(`column ${this.name} was read whole, typed`);
    this.#readCodes();
    // New codes may not fit the width the importer chose, nor belong in a loader's memory.
    this.codes = Growable.of<CodeArray>(Int32Array, Int32Array.from(this.codes.data), -1);
    this.#borrowed = false;
  }

  /** Reads the codes of a column read elsewhere, if they are not read yet. */
  #readCodes(): void {
    const load = this.#loadCodes;
    if (load === null) return;
    this.#loadCodes = null;
    this.#adopt(load(), true);
  }

  set(index: number, value: RawValue, kind?: AttributeKind): void {
    if (value === null || value === '') return;
    if (this.#borrowed) this.#ownCodes();
    if (this.#knownNumbers !== null) {
      // An importer's mistake, not the input's: such a column is finished as it came.
      if (this.#numbersOnly) throw new Error(`column ${this.name} was read whole, as numbers`);
      this.#knownNumbers = null;
    }
    // Only untyped text is inferred: a value the source declares a string (XES <string>,
    // an OCEL text column) stays text even when it looks like a number.
    if (typeof value === 'string' && kind === undefined) {
      if (this.#numeric) {
        if (index > this.#lastIndex && isNumberText(value)) {
          this.#pushNumber(index, value);
          return;
        }
        this.#leaveNumeric();
      } else if (this.kind === null && isNumberText(value)) {
        this.kind = 'string';
        this.#numeric = true;
        this.#runStart = new Growable(Int8Array);
        this.#pushNumber(index, value);
        return;
      }
    } else if (this.#numeric) {
      this.#leaveNumeric();
    }
    const wanted: AttributeKind = kind ?? (typeof value === 'string' ? 'string'
      : typeof value === 'boolean' ? 'boolean' : 'number');
    if (typeof value !== 'string' || kind !== undefined) this.textOnly = false;
    if (this.kind === null) this.kind = wanted;
    else if (this.kind !== wanted) this.#degradeToString();

    if (this.kind === 'string') this.codes.set(index, this.dictionary.code(String(value)));
    else if (this.kind === 'boolean') this.booleans.set(index, value === true ? 1 : 0);
    else this.numbers.set(index, Number(value));
  }

  #pushNumber(index: number, text: string): void {
    const texts = this.#runTexts;
    if (texts.length === 0 || texts[texts.length - 1] !== text) {
      texts.push(text);
      this.#runChars += text.length;
      (this.#runStart as Growable<Int8Array>).set(index, 1);
    }
    this.numbers.set(index, Number(text));
    this.#lastIndex = index;
  }

  /** Turns the numbers read so far back into dictionary codes of their exact texts. */
  #leaveNumeric(): void {
    this.#numeric = false;
    const runStart = this.#runStart as Growable<Int8Array>;
    const texts = this.#runTexts;
    const numbers = this.numbers.data;
    let t = -1;
    for (let i = 0; i < this.numbers.length; i++) {
      if (Number.isNaN(numbers[i])) continue;
      if (runStart.get(i) === 1) t++;
      this.codes.set(i, this.dictionary.code(texts[t]));
    }
    this.numbers = new Growable(Float64Array, NaN);
    this.#runStart = null;
    this.#runTexts = [];
    this.#runChars = 0;
  }

  /** Distinct texts held so far, and their characters (see LogBuilder.textsHeld). */
  get textsHeld(): { count: number; chars: number } {
    let count = this.#runTexts.length;
    let chars = this.#runChars;
    if (this.#dictionary !== null) {
      count += this.#dictionary.size;
      chars += this.#dictionary.chars;
    }
    return { count, chars };
  }

  /** True when no value was ever set. */
  get empty(): boolean {
    return this.kind === null;
  }

  /** The typed column of `length` values, inferring types of text-only columns. */
  finish(length: number, parseTime: TimeParser | null): AttributeColumn {
    return inOwnOrder(this.rawColumn(length, parseTime));
  }

  /**
   * {@link finish} before the values are laid out: a text-only column is typed from its
   * distinct texts, each read once, and keeps its codes into a table of their values.
   */
  rawColumn(length: number, parseTime: TimeParser | null): RawColumn {
    if (typeof this.#typed === 'function') return this.#typed();
    if (this.#typed !== null) return this.#typed;
    this.#readCodes();
    // Every text was a number: what inference would decide, already done.
    if (this.#numeric) this.kind = 'number';
    else if (this.kind === 'string' && this.textOnly) {
      this.codes.padTo(length);
      const codes = this.codes.data.subarray(0, this.codes.length);
      const typed = this.#inferFromText(codes, parseTime);
      if (typed !== null) return typed;
    }
    switch (this.kind) {
      case 'number':
      case 'time':
        this.numbers.padTo(length);
        return { kind: this.kind, values: this.numbers.data.subarray(0, this.numbers.length) };
      case 'boolean':
        this.booleans.padTo(length);
        return { kind: 'boolean', values: this.booleans.data.subarray(0, this.booleans.length) };
      default:
        this.codes.padTo(length);
        return {
          kind: 'string', codes: this.codes.data.subarray(0, this.codes.length),
          dictionary: this.dictionary.values,
        };
    }
  }

  /** The column typed from its distinct texts, or null when it stays text. */
  #inferFromText(codes: CodeArray, parseTime: TimeParser | null): RawColumn | null {
    if (this.#knownNumbers !== null) {
      // The importer read every text as a number: the texts themselves are never made.
      this.kind = 'number';
      return { kind: 'number', codes, byCode: this.#knownNumbers };
    }
    const texts = this.dictionary.values;
    if (texts.length === 0) return null;

    // isNumberText is the inference rule (trimmed text, no leading zero), decimals first.
    const numbers = numbersOf(texts);
    if (numbers !== null) {
      this.kind = 'number';
      return { kind: 'number', codes, byCode: numbers };
    }
    if (texts.every((t) => /^(true|false)$/i.test(t.trim()))) {
      this.kind = 'boolean';
      const flags = Int8Array.from(texts, (t) => (t.trim().toLowerCase() === 'true' ? 1 : 0));
      return { kind: 'boolean', codes, byCode: flags };
    }
    if (parseTime !== null && texts.every((t) => /^\d{4}-\d\d-\d\d/.test(t.trim()))) {
      const times = new Float64Array(texts.length);
      for (let code = 0; code < texts.length; code++) times[code] = parseTime(texts[code].trim());
      if (times.every((t) => !Number.isNaN(t))) {
        this.kind = 'time';
        return { kind: 'time', codes, byCode: times };
      }
    }
    return null;
  }

  #degradeToString(): void {
    // A column with mixed types keeps every value, as text.
    const previous = this.kind;
    this.kind = 'string';
    if (previous === 'number' || previous === 'time') {
      for (let i = 0; i < this.numbers.length; i++) {
        const v = this.numbers.data[i];
        if (!Number.isNaN(v)) {
          const text = previous === 'time' ? new Date(v).toISOString() : String(v);
          this.codes.set(i, this.dictionary.code(text));
        }
      }
    } else if (previous === 'boolean') {
      for (let i = 0; i < this.booleans.length; i++) {
        const v = this.booleans.data[i];
        if (v >= 0) this.codes.set(i, this.dictionary.code(v === 1 ? 'true' : 'false'));
      }
    }
  }
}

/** The number of every text, or null when one is no number by {@link isNumberText}. */
function numbersOf(texts: string[]): Float64Array | null {
  const numbers = new Float64Array(texts.length);
  for (let code = 0; code < texts.length; code++) {
    const value = numberOfText(texts[code]);
    if (Number.isNaN(value)) return null;
    numbers[code] = value;
  }
  return numbers;
}
