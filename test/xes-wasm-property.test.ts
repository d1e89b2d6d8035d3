/**
 * Generated XES documents, clean and hostile, read with the WASM body scanner (in pieces of
 * 1 to 64 bytes) and without it (whole): same compiled log and notes, or same error. The
 * hostile pieces are what the scanner must decline or read exactly: references, CDATA,
 * comments, odd whitespace, non-ASCII, lists, missing and repeated keys, keys of two types,
 * duplicate and missing case ids, events outside traces, dates of other layouts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { readXesWasm } from '../src/ingest/xes/wasm-read.js';
import { chunkedSource, differences, importBy } from './helpers/xes-paths.js';

const plainChar = fc.constantFrom('a', 'Z', '0', '1', ' ', '-', '.', ':', '>', '\'', 'é', '請',
  '😀', '\u0085');
const hostileChar = fc.constantFrom('&amp;', '&lt;', '&#233;', '&#x1F600;', '\t', '\n', '&',
  '<', '\u0001', '\uFFFE', ']]>');
/** Mostly `clean`, now and then `hostile`: most documents then hold one hostile piece or none. */
const rarely = <T>(clean: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: clean }, { weight: 1, arbitrary: hostile });
const plainText = fc.string({ unit: plainChar, maxLength: 6 });
const anyText = rarely(plainText, fc.string({ unit: fc.oneof(plainChar, hostileChar),
  maxLength: 6 }));

const okTime = fc.record({
  year: fc.constantFrom('0000', '0001', '0399', '0400', '1600', '1900', '1970', '2000', '2024',
    '2100', '9999'),
  month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 23 }),
  frac: fc.constantFrom('', '.5', '.25', '.125', '.123456'),
  zone: fc.constantFrom('Z', 'z', '+01:00', '-05:30', '+14:00', '-00:00', ''),
}).map(({ year, month, day, hour, frac, zone }) => {
  // Within the month (Feb 29 in leap years only): a day past its end is an odd time below.
  const last = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const y = Number(year);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const two = (n: number) => String(n).padStart(2, '0');
  const d = Math.min(day, month === 2 && !leap ? 28 : last);
  return `${year}-${two(month)}-${two(d)}T${two(hour)}:07:09${frac}${zone}`;
});
const oddTime = fc.constantFrom('2024-02-30T10:00:00Z', '2023-02-29T10:00:00Z',
  '1900-02-29T00:00:00Z', '2024-04-31T10:00:00Z', '2024-01-05T24:00:00Z',
  '2024-01-05 10:00:00', '2024-01-05', '2024-01-05T10:00Z', '2024-01-05T10:00:00+0100',
  '2024-01-05T10:00:60Z', ' 2024-01-05T10:00:00Z', '12024-01-05T10:00:00Z', 'bad', '',
  '2024-01-05T10:00:00+99:99', '2024-01-05T10:00:00.Z');

/** One spelling of a leaf attribute element; the clean ones are all the common shape. */
function leaf(type: string, key: string, value: string, style: number): string {
  switch (style) {
    case 1: return `<${type} key="${key}" value="${value}" />`;
    case 2: return `<${type}\n\tkey = "${key}"\r\n value=\t"${value}"/>`;
    case 3: return `<${type} key='${key}' value='${value.replaceAll('\'', '&apos;')}'/>`;
    case 4: return `<${type} value="${value}" key="${key}"/>`;
    case 5: return `<${type} key="${key}" value="${value}"><string key="m" value="x"/></${type}>`;
    case 6: return `<${type} key="${key}"/>`;
    case 7: return `<${type} key="${key}" value="${value}" extra="1"/>`;
    default: return `<${type} key="${key}" value="${value}"/>`;
  }
}

const TYPES: Record<string, string> = { amount: 'float', n: 'int', flag: 'boolean', due: 'date',
  note: 'string', ref: 'id', ключ: 'string' };
const attrKey = fc.constantFrom(...Object.keys(TYPES));
const valueFor = (type: string, hostile: boolean) => {
  const text = hostile ? anyText : plainText;
  const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map(String);
  switch (type) {
    // Clean numbers all read; hostile ones may mix numbers and text in one column.
    case 'float': return hostile ? fc.oneof(number, fc.constantFrom('1e3', '007', ' 5', '-0',
      '', 'n/a', '.5')) : fc.oneof(number, fc.constantFrom('1e3', '007', '-0', '', '.5'));
    case 'int': return fc.oneof(fc.integer().map(String),
      fc.constantFrom('', '0042', ...(hostile ? ['x'] : [])));
    case 'boolean': return fc.constantFrom('true', 'false', '1', '0', 'TRUE', ' False', '',
      ...(hostile ? ['maybe'] : []));
    case 'date': return hostile ? fc.oneof(okTime, oddTime) : okTime;
    default: return text;
  }
};

/** A leaf attribute: clean ones keep one type per key; hostile ones may change it. */
const attr = (hostile: boolean) => attrKey.chain((key) => fc.record({
  type: hostile ? rarely(fc.constant(TYPES[key]), fc.constantFrom('string', 'list', 'container'))
    : fc.constant(TYPES[key]),
  key: fc.constant(key),
  style: hostile ? rarely(fc.constantFrom(0, 1), fc.nat(8)) : fc.constantFrom(0, 1),
}).chain((a) => valueFor(a.type === TYPES[a.key] ? a.type : 'string', hostile)
  .map((value) => leaf(a.type, a.key, value, a.style))));

const cleanSpace = fc.constantFrom('', ' ', '\n', '\r\n\t');
const space = (hostile: boolean) => hostile
  ? rarely(cleanSpace, fc.constantFrom('<!-- c -->', '<![CDATA[x]]>', 'x', '<?pi?>'))
  : cleanSpace;

const event = (hostile: boolean) => fc.record({
  activity: hostile ? fc.option(anyText, { freq: 12 }) : plainText.filter((t) => t !== ''),
  time: hostile ? fc.option(rarely(okTime, oddTime), { freq: 12 }) : okTime,
  lifecycle: fc.option(fc.constantFrom('start', 'complete', 'Complete ', 'schedule', '')),
  resource: fc.option(hostile ? anyText : plainText),
  extra: fc.uniqueArray(attr(hostile), { maxLength: 3, selector: (a) => a.split('"')[1] }),
  gap: space(hostile),
  twice: hostile ? rarely(fc.constant(false), fc.constant(true)) : fc.constant(false),
}).map((e) => {
  const s = e.gap;
  let xml = `<event>${s}`;
  if (e.activity !== null) xml += leaf('string', 'concept:name', e.activity, 0) + s;
  if (e.time !== null) xml += leaf('date', 'time:timestamp', e.time, 0) + s;
  if (e.lifecycle !== null) xml += leaf('string', 'lifecycle:transition', e.lifecycle, 0);
  if (e.resource !== null) xml += leaf('string', 'org:resource', e.resource, 0) + s;
  xml += e.extra.join(s);
  if (e.twice && e.extra.length > 0) xml += e.extra[0];
  return `${xml}</event>${s}`;
});

const trace = (hostile: boolean, ordinal: number) => fc.record({
  name: hostile ? fc.option(rarely(fc.constant(`c${ordinal}`),
    fc.constantFrom('c1', '', 'c&amp;3', 'ç')), { freq: 12 }) : fc.constant(`c${ordinal}`),
  attrs: fc.uniqueArray(attr(hostile), { maxLength: 3, selector: (a) => a.split('"')[1] }),
  nameFirst: hostile ? rarely(fc.constant(true), fc.constant(false)) : fc.constant(true),
  events: fc.array(event(hostile), { maxLength: 4 }),
  gap: space(hostile),
}).map((t) => {
  const name = t.name === null ? '' : leaf('string', 'concept:name', t.name, 0);
  const attrs = t.attrs.join(t.gap);
  const head = t.nameFirst ? name + attrs : attrs + name;
  return `<trace>${t.gap}${head}${t.gap}${t.events.join('')}</trace>\n`;
});

const documentOf = (hostile: boolean) => fc.record({
  traces: fc.tuple(...[0, 1, 2, 3].map((k) => trace(hostile, k))).chain((all) =>
    fc.integer({ min: hostile ? 0 : 1, max: 4 }).map((n) => all.slice(0, n))),
  head: fc.constantFrom('<?xml version="1.0" encoding="UTF-8"?>\n', '\uFEFF', '',
    '<!-- w -->\n'),
  between: hostile ? rarely(fc.constant(''),
    fc.constantFrom('<event/>', '<string key="k" value="v"/>', '<x:y/>')) : fc.constant(''),
  tail: hostile ? rarely(fc.constantFrom('\n', ''), fc.constantFrom('<!-- end -->', ' x'))
    : fc.constantFrom('\n', ''),
}).map((d) => `${d.head}<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n` +
  '<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n' +
  '<global scope="event"><date key="time:timestamp" value="1970-01-01T00:00:00Z"/></global>\n' +
  `${d.traces.join(d.between)}</log>${d.tail}`);

const options: fc.Arbitrary<ImportOptions> = fc.record({
  skipBadRows: fc.boolean(),
  lifecycle: fc.constantFrom('pair' as const, 'ignore' as const),
  timezone: fc.constantFrom(undefined, 'UTC', 'Europe/Berlin'),
  mapping: fc.constantFrom(undefined, { resource: 'note' }, { activity: 'note' },
    { startTimestamp: 'due' }, { case: 'ref' }),
}, { requiredKeys: ['skipBadRows', 'lifecycle'] });
const pieces = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 });

/**
 * Holds the two paths to one answer on the document in pieces of `sizes`, and, when the
 * scanner reads it, to the answer on the whole; true when the scanner read it.
 */
async function sameAnswer(xml: string, opts: ImportOptions, sizes: number[]): Promise<boolean> {
  const bytes = Buffer.from(xml, 'utf8');
  const cut = () => chunkedSource(bytes, sizes);
  const wasm = await importBy(cut(), opts, true);
  expect(differences(wasm, await importBy(cut(), opts, false)), xml).toEqual([]);
  const taken = await readXesWasm(cut(), opts) !== null;
  if (taken) {
    const whole = await importBy(byteSourceFromBytes(bytes, 't.xes'), opts, true);
    expect(differences(wasm, whole), xml).toEqual([]);
  }
  return taken;
}

describe('WASM XES scanner on generated documents', () => {
  it('reads clean documents itself, in any pieces, as the JS readers do', async () => {
    await fc.assert(fc.asyncProperty(documentOf(false), pieces, async (xml, sizes) => {
      const opts: ImportOptions = { lifecycle: 'pair' };
      expect(await sameAnswer(xml, opts, sizes)).toBe(true);
    }), { numRuns: 200 });
  });

  it('reads clean documents with any options as the JS readers do', async () => {
    let taken = 0;
    await fc.assert(fc.asyncProperty(documentOf(false), options, pieces, async (xml, o, sizes) => {
      if (await sameAnswer(xml, o, sizes)) taken++;
    }), { numRuns: 300 });
    expect(taken).toBeGreaterThan(100);
  });

  it('gives the JS readers\' answer on hostile documents, with any options', async () => {
    let taken = 0;
    await fc.assert(fc.asyncProperty(documentOf(true), options, pieces, async (xml, o, sizes) => {
      if (await sameAnswer(xml, o, sizes)) taken++;
    }), { numRuns: 400 });
    // The generator is not so hostile that the scanner never reads a document.
    expect(taken).toBeGreaterThan(0);
  });

  it('gives the JS readers\' answer on documents damaged at any byte', async () => {
    const damaged = fc.tuple(documentOf(false), fc.nat(), fc.constantFrom('<', '&', '"',
      '</event>', '<trace>', '\u0000', '-->', '\u00e9', ''), fc.boolean())
      .map(([xml, at, piece, cut]) => {
        const k = at % (xml.length + 1);
        return cut ? xml.slice(0, k) : xml.slice(0, k) + piece + xml.slice(k + 1);
      });
    await fc.assert(fc.asyncProperty(damaged, pieces, async (xml, sizes) => {
      await sameAnswer(xml, {}, sizes);
    }), { numRuns: 300 });
  });
});
