/**
 * A scanner for the XML that XES writers actually emit, several times faster than saxes.
 *
 * It reads one strict subset: an optional `<?xml version="1.0" …?>` first, comments, start,
 * end and self-closing tags with plain names (no prefix) and quoted attributes, and whitespace
 * between them. Whatever lies outside the subset, or is not well-formed, makes it throw
 * {@link FastPathMiss}: the caller then reads the WHOLE document again with saxes, so DOCTYPE
 * refusal, entity rules and error positions stay exactly those of the saxes path. Every text
 * the scanner accepts, saxes accepts too and reports as the same element events.
 */
import { decodeAttributeValue, plainChars } from './xml-value.js';

/** Thrown when the text leaves the subset the scanner reads; never reaches a user. */
export class FastPathMiss extends Error {
  constructor(why: string) {
    super(`fast XES path left: ${why}`);
  }
}

/** Where the element events go (the {@link XesReader} methods of the same names). */
export interface TagSink {
  openTag(name: string, attributes: Record<string, string>): void;
  /** A self-closing element of an XES value type with exactly a key and a value. */
  leafAttribute(element: string, key: string, value: string): void;
  closeTag(): void;
}

const XML_DECL = new RegExp('^<\\?xml[ \\t\\r\\n]+version[ \\t\\r\\n]*=[ \\t\\r\\n]*'
  + '(?:"1\\.0"|\'1\\.0\')(?:[ \\t\\r\\n]+encoding[ \\t\\r\\n]*=[ \\t\\r\\n]*'
  + '(?:"[A-Za-z][\\w.-]*"|\'[A-Za-z][\\w.-]*\'))?(?:[ \\t\\r\\n]+standalone[ \\t\\r\\n]*='
  + '[ \\t\\r\\n]*(?:"(?:yes|no)"|\'(?:yes|no)\'))?[ \\t\\r\\n]*\\?>$');

// Where the document is: nothing read yet, before the root, inside it, after it.
const START = 0;
const PROLOG = 1;
const ROOT = 2;
const EPILOG = 3;

// Whitespace, then a self-closing attribute element whose key and value need no decoding (no
// reference, no character XML forbids or normalises), or a bare <event>, <trace>, </event> or
// </trace>. Whatever it matches, the general readers would read the same.
const PLAIN = '([^"&<\\x00-\\x1f\\ufffe\\uffff]*)';
const COMMON = new RegExp('[ \\t\\r\\n]*<(?:(string|date|int|float|boolean|id) '
  + `key="${PLAIN}" value="${PLAIN}"/>|(/)?(event|trace)>)`, 'y');

/** Longest unfinished markup carried from one chunk to the next. */
const MAX_PENDING = 1 << 20;

/** Returned by a markup reader when the markup runs past the end of the text read so far. */
const MORE = -1;

/** Scans XES text chunk by chunk, feeding element events to a {@link TagSink}. */
export class FastXesScanner {
  readonly #sink: TagSink;
  readonly #open: string[] = [];
  #state = START;
  /** Text of an unfinished tag or comment at the end of the last chunk. */
  #rest = '';
  /** Element events so far; lets the caller bound the text between two tags. */
  tagEvents = 0;

  constructor(sink: TagSink) {
    this.#sink = sink;
  }

  /** Scans the next chunk of text. */
  write(chunk: string): void {
    const text = this.#rest.length === 0 ? chunk : this.#rest + chunk;
    const end = this.#scan(text);
    this.#rest = end === text.length ? '' : text.slice(end);
    // Each chunk reads an unfinished tag again from its start; a tag this long is no XES a
    // writer emits, and saxes reads it once, in a stream, under the maxRowChars bound.
    if (this.#rest.length > MAX_PENDING) throw new FastPathMiss('very long tag or comment');
  }

  /**
   * True when everything written was read and the document is inside its root element,
   * at its first level: where another reader may take over the rest of the text.
   */
  get atRootLevel(): boolean {
    return this.#rest.length === 0 && this.#state === ROOT && this.#open.length === 1;
  }

  /** Ends the document: it must have had one root element, closed, and nothing unfinished. */
  close(): void {
    if (this.#rest.length > 0) throw new FastPathMiss('document ends inside markup');
    if (this.#state !== EPILOG) throw new FastPathMiss('root element missing or not closed');
  }

  /** Reads all complete markup of `text`; answers where the unfinished rest begins. */
  #scan(text: string): number {
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.#state === ROOT) {
        const next = this.#common(text, i);
        if (next !== MORE) {
          i = next;
          continue;
        }
      }
      const c = text.charCodeAt(i);
      if (c === 60) {
        const next = this.#markup(text, i);
        if (next === MORE) return i;
        i = next;
      } else if (c === 32 || c === 10 || c === 9 || c === 13) {
        if (this.#state === START) this.#state = PROLOG;
        // The whole run at once: trying the regular expression again at each of its
        // characters would cost time quadratic in its length.
        do i++; while (i < n && isSpace(text.charCodeAt(i)));
      } else {
        throw new FastPathMiss('text between tags');
      }
    }
    return n;
  }

  /** Reads the markup starting with `<` at `i`; answers the index after it, or MORE. */
  #markup(text: string, i: number): number {
    if (i + 1 >= text.length) return MORE;
    const c = text.charCodeAt(i + 1);
    if (c === 47) return this.#endTag(text, i);
    if (c === 33) return this.#comment(text, i);
    if (c === 63) return this.#declaration(text, i);
    return this.#startTag(text, i);
  }

  #declaration(text: string, i: number): number {
    // Only the XML declaration, and only as the very first characters of the document.
    if (this.#state !== START || i !== 0) throw new FastPathMiss('processing instruction');
    const end = text.indexOf('?>', i + 2);
    if (end < 0) return MORE;
    if (!XML_DECL.test(text.slice(i, end + 2))) throw new FastPathMiss('XML declaration');
    this.#state = PROLOG;
    return end + 2;
  }

  #comment(text: string, i: number): number {
    if (text.length - i < 4) return MORE;
    if (!text.startsWith('<!--', i)) throw new FastPathMiss('DOCTYPE or CDATA');
    const end = text.indexOf('-->', i + 4);
    if (end < 0) return MORE;
    // "--" may not occur inside a comment; the first one found must begin its "-->".
    if (text.indexOf('--', i + 4) !== end || !plainChars(text, i + 4, end)) {
      throw new FastPathMiss('comment');
    }
    if (this.#state === START) this.#state = PROLOG;
    return end + 3;
  }

  #endTag(text: string, i: number): number {
    const end = text.indexOf('>', i + 2);
    if (end < 0) return MORE;
    const open = this.#open;
    const name = open.length === 0 ? '' : open[open.length - 1];
    let k = i + 2 + name.length;
    if (name === '' || k > end || !text.startsWith(name, i + 2)) {
      throw new FastPathMiss('end tag');
    }
    while (k < end && isSpace(text.charCodeAt(k))) k++;
    if (k !== end) throw new FastPathMiss('end tag');
    open.pop();
    if (open.length === 0) this.#state = EPILOG;
    this.tagEvents++;
    this.#sink.closeTag();
    return end + 1;
  }

  /**
   * Reads the tokens that make up nearly all of a log, whitespace included, with one native
   * regular expression (several times faster than the character loop); MORE when the text at
   * `i` is something else, which the general readers then take.
   */
  #common(text: string, i: number): number {
    COMMON.lastIndex = i;
    const m = COMMON.exec(text);
    if (m === null) return MORE;
    this.tagEvents++;
    const type = m[1];
    if (type !== undefined) {
      this.#sink.leafAttribute(type, m[2], m[3]);
      return COMMON.lastIndex;
    }
    const name = m[5] === 'event' ? 'event' : 'trace';
    const open = this.#open;
    if (m[4] === undefined) {
      open.push(name);
      this.#sink.openTag(name, {});
    } else {
      if (open[open.length - 1] !== name) throw new FastPathMiss('end tag');
      open.pop();
      if (open.length === 0) this.#state = EPILOG;
      this.#sink.closeTag();
    }
    return COMMON.lastIndex;
  }

  #startTag(text: string, i: number): number {
    const n = text.length;
    let k = i + 1;
    if (k < n && !isNameStart(text.charCodeAt(k), false)) throw new FastPathMiss('tag name');
    while (k < n && isNameChar(text.charCodeAt(k), false)) k++;
    if (k >= n) return MORE;
    const name = knownName(text, i + 1, k, ELEMENTS);
    const attributes: Record<string, string> = {};
    let spaced = false;
    for (;;) {
      if (k >= n) return MORE;
      let c = text.charCodeAt(k);
      if (isSpace(c)) {
        while (k < n && isSpace(text.charCodeAt(k))) k++;
        if (k >= n) return MORE;
        c = text.charCodeAt(k);
        spaced = true;
      }
      if (c === 62) return this.#opened(name, attributes, false, k + 1);
      if (c === 47) {
        if (k + 1 >= n) return MORE;
        if (text.charCodeAt(k + 1) !== 62) throw new FastPathMiss('tag end');
        return this.#opened(name, attributes, true, k + 2);
      }
      // An attribute must follow whitespace; any other character (a ':' in the element
      // name, a letter outside ASCII) is left to saxes.
      if (!spaced || !isNameStart(c, true)) throw new FastPathMiss('attribute');
      const from = k;
      while (k < n && isNameChar(text.charCodeAt(k), true)) k++;
      const key = knownName(text, from, k, ATTRIBUTES);
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k >= n) return MORE;
      if (text.charCodeAt(k) !== 61) throw new FastPathMiss('attribute');
      k++;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k >= n) return MORE;
      const quote = text.charCodeAt(k);
      if (quote !== 34 && quote !== 39) throw new FastPathMiss('attribute quoting');
      const close = text.indexOf(quote === 34 ? '"' : '\'', k + 1);
      if (close < 0) return MORE;
      const value = decodeAttributeValue(text, k + 1, close);
      if (value === null || key === '__proto__' || Object.hasOwn(attributes, key)) {
        throw new FastPathMiss('attribute value');
      }
      attributes[key] = value;
      k = close + 1;
      spaced = false;
    }
  }

  /** Hands a complete start tag to the sink (self-closing: its end tag as well). */
  #opened(name: string, attributes: Record<string, string>, empty: boolean, next: number) {
    if (this.#state === EPILOG) throw new FastPathMiss('second root element');
    this.#state = ROOT;
    this.tagEvents++;
    this.#sink.openTag(name, attributes);
    if (empty) {
      this.#sink.closeTag();
      if (this.#open.length === 0) this.#state = EPILOG;
    } else {
      this.#open.push(name);
    }
    return next;
  }
}

// The names nearly every tag uses. Returning these literals instead of a fresh slice spares
// an allocation, and, being internalised strings, they make the property stores of the
// attribute object and the reader's comparisons cheap (a fresh key must be looked up first).
const ELEMENTS = ['event', 'trace', 'string', 'date', 'int', 'float', 'boolean', 'id'];
const ATTRIBUTES = ['key', 'value'];

/** `text[from, to)` as one of `names` when it is one, else as a new string. */
function knownName(text: string, from: number, to: number, names: string[]): string {
  const length = to - from;
  for (const name of names) {
    if (name.length === length && text.startsWith(name, from)) return name;
  }
  return text.slice(from, to);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** ASCII letters and `_` (and `:` in attribute names): a strict subset of XML NameStartChar. */
function isNameStart(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colon && c === 58);
}

/** ASCII name characters (`:` only in attribute names): a subset of XML NameChar. */
function isNameChar(c: number, colon: boolean): boolean {
  return isNameStart(c, colon) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
