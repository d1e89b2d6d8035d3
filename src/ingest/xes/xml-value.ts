/**
 * Decoding of XML attribute values for the fast XES scanner.
 *
 * Only what a conforming parser would accept unchanged is decoded: the five XML entities and
 * decimal or hex character references naming an XML character. Anything that would need more
 * (a literal tab or line break, which XML normalises to a space; `<`; another entity; a
 * character XML forbids) answers null, and the scanner hands the document to saxes.
 */

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'',
};

/** The value written between `from` and `to` in `text`, decoded; null when not plain. */
export function decodeAttributeValue(text: string, from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // One comparison range for every code unit that needs a look: & < controls FFFE FFFF.
    if (c === 38 || c === 60 || c < 32 || c >= 0xfffe) return slowValue(text, from, to);
  }
  return text.slice(from, to);
}

function slowValue(text: string, from: number, to: number): string | null {
  let out = '';
  let run = from;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c !== 38) {
      if (c === 60 || c < 32 || c >= 0xfffe) return null;
      i++;
      continue;
    }
    const semi = text.indexOf(';', i + 1);
    // Names and references are short; a far semicolon means a bare ampersand.
    if (semi < 0 || semi >= to || semi - i > 12) return null;
    const decoded = reference(text.slice(i + 1, semi));
    if (decoded === null) return null;
    out += text.slice(run, i) + decoded;
    i = semi + 1;
    run = i;
  }
  return out + text.slice(run, to);
}

/** The text of the reference `&name;` (name without & and ;), null when not allowed. */
function reference(name: string): string | null {
  if (name.charCodeAt(0) !== 35) return Object.hasOwn(ENTITIES, name) ? ENTITIES[name] : null;
  const hex = name.charCodeAt(1) === 120;
  const digits = name.slice(hex ? 2 : 1);
  if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  return isXmlChar(code) ? String.fromCodePoint(code) : null;
}

/** XML 1.0 production Char. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x9 || code === 0xa || code === 0xd;
  if (code <= 0xd7ff) return true;
  if (code < 0xe000) return false;
  if (code <= 0xfffd) return true;
  return code >= 0x10000 && code <= 0x10ffff;
}

/** True when `text[from, to)` holds only characters XML allows literally (comments). */
export function plainChars(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c >= 0xfffe) return false;
  }
  return true;
}
