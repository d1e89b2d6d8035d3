/**
 * The fast XES scanner against the saxes path. The oracle is saxes itself (a conforming XML
 * parser): on every generated document the two paths must build the same compiled log, and a
 * damaged document must end in the same error either way. The few fixed expectations (decoded
 * characters, which shapes the scanner declines) were worked out by hand from XML 1.0.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteSourceFromBytes, byteSourceFromFile } from '../src/ingest/byte-source.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { readXesFast } from '../src/ingest/xes/fast-read.js';
import { importXes } from '../src/ingest/xes/index.js';
import { readXesSaxes } from '../src/ingest/xes/saxes-read.js';
import type { XesSession } from '../src/ingest/xes/xes-session.js';
import type { ByteSource } from '../src/ingest/import-options.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

// ---- generated XES documents in the shapes XES writers emit (the scanner's subset) ----

// Characters for values: ASCII, the five specials, accented, CJK, astral (a surrogate pair).
const valueChar = fc.constantFrom('a', 'Z', '0', ' ', '-', ':', '&', '<', '>', '"', '\'', 'é',
  '請', '求', '😀', '\u00a0', '/', '=');
const valueText = fc.string({ unit: valueChar, maxLength: 8 });

/** Writes `value` for a `quote`-delimited attribute, each special in one of three spellings. */
function escape(value: string, quote: string, style: number): string {
  const named: Record<string, string> = {
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;',
  };
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    const special = ch === '&' || ch === '<' || ch === quote;
    if (style === 1 && (special || code > 0x7f)) out += `&#${code};`;
    else if (style === 2 && (special || code > 0x7f)) out += `&#x${code.toString(16)};`;
    else if (special || (style === 0 && ch === '>')) out += named[ch];
    else out += ch;
  }
  return out;
}

interface Attr { type: string; key: string; value: string }

const time = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const extraAttr: fc.Arbitrary<Attr> = fc.oneof(
  fc.record({ type: fc.constant('string'), key: fc.constantFrom('amount', 'org:group', 'x'),
    value: valueText }),
  fc.record({ type: fc.constant('int'), key: fc.constant('n'),
    value: fc.oneof(fc.integer().map(String), fc.constant('n/a')) }),
  fc.record({ type: fc.constant('float'), key: fc.constant('f'),
    value: fc.double({ noNaN: true }).map(String) }),
  fc.record({ type: fc.constant('boolean'), key: fc.constant('b'),
    value: fc.constantFrom('true', 'false', '1', 'TRUE', 'maybe') }),
  fc.record({ type: fc.constant('date'), key: fc.constant('due'), value: time }),
  fc.record({ type: fc.constant('id'), key: fc.constant('id'), value: valueText }),
);
const event = fc.record({
  activity: fc.oneof({ weight: 9, arbitrary: valueText.filter((v) => v.trim() !== '') },
    { weight: 1, arbitrary: fc.constant('') }),
  time: fc.oneof({ weight: 9, arbitrary: time }, { weight: 1, arbitrary: fc.constant('bad') }),
  lifecycle: fc.option(fc.constantFrom('start', 'complete', 'schedule', 'Complete')),
  resource: fc.option(valueText),
  extra: fc.array(extraAttr, { maxLength: 3 }),
  nested: fc.boolean(),
});
const trace = fc.record({
  name: fc.option(fc.constantFrom('c1', 'c2', 'c&3', '')),
  attrs: fc.array(extraAttr, { maxLength: 2 }),
  events: fc.array(event, { maxLength: 4 }),
});
const layout = fc.record({
  quote: fc.constantFrom('"', '\''),
  style: fc.nat(2),
  space: fc.constantFrom('', ' ', '\n', '\r\n\t', '\t\t'),
  decl: fc.boolean(),
  comment: fc.boolean(),
});

const xesDocument = fc.record({ traces: fc.array(trace, { maxLength: 5 }), layout })
  .map(({ traces, layout: l }) => {
    const q = l.quote;
    const s = l.space;
    const attr = (a: Attr, inner = '') => {
      const open = `<${a.type} key=${q}${escape(a.key, q, l.style)}${q} ` +
        `value=${q}${escape(a.value, q, l.style)}${q}`;
      return inner === '' ? `${open}/>` : `${open}>${inner}</${a.type}>`;
    };
    let xml = l.decl ? `<?xml version=${q}1.0${q} encoding=${q}UTF-8${q}?>${s}` : '';
    if (l.comment) xml += `<!-- written by a generator - for tests -->${s}`;
    xml += '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">' + s;
    xml += '<extension name="Concept" prefix="concept" ' +
      'uri="http://www.xes-standard.org/concept.xesext"/>';
    const global = attr({ type: 'string', key: 'concept:name', value: 'g' });
    xml += `<global scope="event">${s}${global}</global>${s}`;
    for (const t of traces) {
      xml += `<trace>${s}`;
      if (t.name !== null) xml += attr({ type: 'string', key: 'concept:name', value: t.name }) + s;
      for (const a of t.attrs) xml += attr(a) + s;
      for (const e of t.events) {
        xml += `<event>${s}`;
        xml += attr({ type: 'string', key: 'concept:name', value: e.activity }) + s;
        xml += attr({ type: 'date', key: 'time:timestamp', value: e.time }) + s;
        if (e.lifecycle !== null) {
          xml += attr({ type: 'string', key: 'lifecycle:transition', value: e.lifecycle }) + s;
        }
        if (e.resource !== null) {
          xml += attr({ type: 'string', key: 'org:resource', value: e.resource }) + s;
        }
        for (const a of e.extra) xml += attr(a) + s;
        if (e.nested) {
          // A meta-attribute and a list: they belong to their parent, never to the event.
          xml += attr({ type: 'string', key: 'note', value: 'n' },
            attr({ type: 'string', key: 'concept:name', value: 'meta' }));
          xml += `<list key="l"><values>${attr({ type: 'int', key: 'i', value: '1' })}` +
            `</values></list>${s}`;
        }
        xml += `</event>${s}`;
      }
      xml += `</trace >${s}`;
    }
    xml += `</log>${s}`;
    if (l.comment) xml += '<!---->';
    return { xml };
  });

const text = (xml: string): ByteSource => byteSourceFromBytes(Buffer.from(xml, 'utf8'), 't.xes');

function finish(session: XesSession) {
  return {
    counts: session.reader.counts,
    log: session.builder.finish({
      source: 't', format: 'xes', mapping: {}, skippedRows: session.reader.counts.skipped,
    }),
  };
}

/** One hash per field of a read: a large log compares in seconds, and a diff names the field. */
function digest(read: Awaited<ReturnType<typeof bySaxes>> | null) {
  if (read === null || !('log' in read)) return read;
  const flat = (_: string, v: unknown) => ArrayBuffer.isView(v) ? Array.from(v as Float64Array)
    : v instanceof Map ? [...v] : v;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ counts: read.counts, ...read.log })) {
    out[k] = createHash('sha256').update(JSON.stringify(v, flat) ?? 'undefined').digest('hex');
  }
  return out;
}

/** The saxes path alone: its log, or its error's code, message and details. */
async function bySaxes(source: ByteSource, options: ImportOptions = {}) {
  try {
    return finish(await readXesSaxes(source, options));
  } catch (err) {
    const e = err as { code?: string; message: string; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
}

/** The fast path alone; null when it declines the document. */
async function byFast(source: ByteSource, options: ImportOptions = {}) {
  const session = await readXesFast(source, options);
  return session === null ? null : finish(session);
}

/** importXes (fast, else saxes) with the same finish as {@link bySaxes}. */
async function byImport(source: ByteSource, options: ImportOptions = {}) {
  const fast = await byFast(source, options);
  return fast ?? bySaxes(source, options);
}

const DOC = (body: string, head = '<?xml version="1.0" encoding="UTF-8"?>\n') =>
  `${head}<log xes.version="1.0" xmlns="http://www.xes-standard.org/">${body}</log>\n`;
const EVENT = (activity: string) =>
  `<event><string key="concept:name" value="${activity}"/>` +
  '<date key="time:timestamp" value="2024-01-10T08:00:00Z"/></event>';

describe('fast XES scanner', () => {
  it('decodes the five entities and character references as XML 1.0 defines them', async () => {
    // By hand: &amp; & &lt; < &gt; > &quot; " &apos; ' &#233; é &#xE9; é &#x1F600; 😀 &#9; tab.
    const xml = DOC('<trace><string key="concept:name" value="c1"/>' +
      EVENT('A&amp;B &lt;x&gt; &quot;q&quot; &apos;s&apos; Cr&#233;dit V&#xE9;rifi&#xe9; ' +
        '&#x1F600;&#9;end') + '</trace>');
    const fast = await byFast(text(xml));
    expect(fast).not.toBeNull();
    expect(fast?.log.activities).toEqual(['A&B <x> "q" \'s\' Crédit Vérifié 😀\tend']);
    expect(fast?.log.caseIds).toEqual(['c1']);
    expect(fast).toEqual(await bySaxes(text(xml)));
  });

  it('hands every shape outside its subset to saxes, with the same result', async () => {
    const trace = `<trace>${EVENT('A')}</trace>`;
    const declined = [
      DOC(trace, '<!DOCTYPE log>\n'),
      DOC(trace.replace('<event>', '<event><![CDATA[x]]>')),
      DOC(trace, '<?xml-stylesheet href="a"?>\n'),
      DOC(trace.replace('value="A"', 'value="A\tB"')),
      DOC(trace.replace('value="A"', 'value="A&eacute;"')),
      `<x:log xmlns:x="http://www.xes-standard.org/">${trace}</x:log>`,
      DOC(trace.replace('<event>', '<event>text')),
      DOC(trace, '<?xml version="1.1"?>'),
    ];
    for (const xml of declined) {
      expect(await byFast(text(xml)), xml).toBeNull();
      // An attribute's tab becomes a space (XML 1.0 §3.3.3), so saxes reads "A B".
      expect(await byImport(text(xml))).toEqual(await bySaxes(text(xml)));
    }
    const tab = await bySaxes(text(declined[3]));
    expect('log' in tab && tab.log.activities).toEqual(['A B']);
  });

  it('rejects a malformed document with the saxes error, never half-read', async () => {
    const broken = [
      DOC(`<trace>${EVENT('A')}</event>`),
      DOC(`<trace>${EVENT('A')}</trace><trace>`),
      DOC(`<trace>${EVENT('A')}</trace>`).replace('</log>', '</log><log/>'),
      DOC(`<trace>${EVENT('A <')}</trace>`),
      DOC(`<trace a="1" a="2">${EVENT('A')}</trace>`),
      DOC(`<trace>${EVENT('A')}</trace><!-- a -- b -->`),
      '',
    ];
    for (const xml of broken) {
      const saxes = await bySaxes(text(xml));
      expect(saxes, xml).toHaveProperty('code');
      expect(await byImport(text(xml))).toEqual(saxes);
      await expect(importXes(text(xml))).rejects.toMatchObject({ code: (saxes as any).code });
    }
  });

  it('declines a tag longer than 1 MiB and reads long whitespace runs', async () => {
    // A 2 MiB value spans several chunks: saxes reads it in one stream, the scanner gives up.
    const long = DOC(`<trace>${EVENT('A'.repeat(2 << 20))}</trace>`);
    expect(await byFast(text(long))).toBeNull();
    const saxes = await bySaxes(text(long));
    expect('log' in saxes && saxes.log.activities[0].length).toBe(2 << 20);
    const spaced = DOC(`<trace>${' \n'.repeat(1 << 20)}${EVENT('A')}</trace>`);
    const fast = await byFast(text(spaced));
    expect(fast?.log.activities).toEqual(['A']);
    expect(fast).toEqual(await bySaxes(text(spaced)));
  });

  it('builds the same log as saxes on generated XES documents', async () => {
    await fc.assert(fc.asyncProperty(xesDocument, fc.boolean(), async (doc, skip) => {
      const options: ImportOptions = { skipBadRows: skip, lifecycle: 'pair' };
      const source = text(doc.xml);
      const saxes = await bySaxes(source, options);
      const fast = await byFast(source, options);
      // The generator writes only shapes of the subset; a failing document may be declined.
      if (!('code' in saxes)) expect(fast).not.toBeNull();
      if (fast !== null) expect(fast).toEqual(saxes);
    }), { numRuns: 300 });
  });

  it('gives the saxes answer on damaged generated documents', async () => {
    const pieces = ['<', '>', '&', '&foo;', '"', '<!DOCTYPE log [<!ENTITY e "x">]>', '<![CDATA[',
      '<?pi?>', '</event>', '<event>', '\u0001', '\uFFFE', '-->', '<!--', 'x:', '\t', '\r\n'];
    const damaged = fc.tuple(xesDocument, fc.nat(), fc.nat(), fc.constantFrom(...pieces),
      fc.constantFrom('insert', 'delete', 'cut')).map(([doc, a, b, piece, how]) => {
      const at = a % (doc.xml.length + 1);
      if (how === 'insert') return doc.xml.slice(0, at) + piece + doc.xml.slice(at);
      if (how === 'cut') return doc.xml.slice(0, at);
      return doc.xml.slice(0, at) + doc.xml.slice(at + 1 + (b % 8));
    });
    await fc.assert(fc.asyncProperty(damaged, async (xml) => {
      expect(await byImport(text(xml))).toEqual(await bySaxes(text(xml)));
    }), { numRuns: 400 });
  });

  it('reads a document cut into chunks anywhere as it reads it whole', async () => {
    await fc.assert(fc.asyncProperty(xesDocument, fc.array(fc.nat(), { maxLength: 6 }),
      async (doc, cuts) => {
        const bytes = Buffer.from(doc.xml, 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunked: ByteSource = {
          name: 't.xes', size: bytes.length,
          async *open() {
            let from = 0;
            for (const p of [...points, bytes.length]) {
              yield bytes.subarray(from, p);
              from = p;
            }
          },
        };
        expect(await byImport(chunked)).toEqual(await bySaxes(text(doc.xml)));
      }), { numRuns: 150 });
  });
});

describe.skipIf(!sharedAvailable())('fast XES scanner on the shared logs', () => {
  const files = [
    ...readdirSync(DATA_DIR).filter((f) => /\.xes(\.gz)?$/.test(f))
      .map((f) => path.join(DATA_DIR, f)),
    ...readdirSync(CASES_DIR).filter((f) => /\.xes(\.gz)?$/.test(f))
      .map((f) => path.join(CASES_DIR, f)),
  ];
  for (const file of files) {
    it(`reads ${path.basename(file)} as saxes does`, async () => {
      const source = await byteSourceFromFile(file);
      const saxes = await bySaxes(source);
      const fast = await byFast(source);
      // Case 05 declares an entity in a DOCTYPE (cases/README.md): saxes alone must refuse it.
      if (path.basename(file).startsWith('05-')) {
        expect(fast).toBeNull();
        expect(saxes).toHaveProperty('code', 'LF_ERR_INGEST_BAD_XML');
      } else {
        expect(fast).not.toBeNull();
        expect(digest(fast)).toEqual(digest(saxes));
      }
    }, 120_000);
  }
});
