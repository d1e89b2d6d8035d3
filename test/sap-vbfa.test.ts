/**
 * SAP VBFA import on test/fixtures/sap/vbfa-small.csv (CRLF, " " as empty, leading zeros).
 * Expected values were worked out by hand from its nine link rows:
 * - flow 0000000010: 0080000001 Delivery (2024-01-15 09:30), 4900000001 Goods Movement
 *   (10:00), 0090000001 Invoice (01-16 08:00; its later row of category N on 01-20 is not
 *   its earliest, so it stays an Invoice);
 * - flow of 0000000020 and 0000000021 (both first link 2024-03-01 11:00; the smaller number
 *   names the case): 0080000003 Delivery (11:00) then 0080000002 Delivery (12:00);
 * - 0090000009, a Debit Memo with a blank predecessor: a flow of its own, named by itself.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import { importLog } from '../src/ingest/import-log.js';
import { importSapVbfa, looksLikeSapVbfa, sapTime } from '../src/ingest/sap-vbfa/index.js';
import { attributeValue, type CompiledLog } from '../src/log/compiled-log.js';

const FIXTURE = new URL('./fixtures/sap/vbfa-small.csv', import.meta.url);
const bytes = () => readFile(FIXTURE);
const text = async () => (await bytes()).toString('utf8');
const fromText = (s: string, name = 'vbfa.csv') =>
  byteSourceFromBytes(new TextEncoder().encode(s), name);

function traces(log: CompiledLog): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let c = 0; c < log.caseCount; c++) {
    out[log.caseIds[c]] = [];
    for (let k = log.offsets[c]; k < log.offsets[c + 1]; k++) {
      out[log.caseIds[c]].push(log.activities[log.activity[k]]);
    }
  }
  return out;
}

const EXPECTED = {
  '0000000010': ['Delivery', 'Goods Movement', 'Invoice'],
  '0000000020': ['Delivery', 'Delivery'],
  '0090000009': ['Debit Memo'],
};

describe('SAP VBFA import', () => {
  it('makes flows cases and successor documents events', async () => {
    const log = await importSapVbfa(byteSourceFromBytes(await bytes(), 'vbfa-small.csv'));
    expect(log.caseCount).toBe(3);
    expect(log.eventCount).toBe(6);
    expect(traces(log)).toEqual(EXPECTED);
    expect([...log.activities].sort()).toEqual(
      ['Debit Memo', 'Delivery', 'Goods Movement', 'Invoice']);
  });

  it('keeps document numbers as text with their leading zeros', async () => {
    const log = await importSapVbfa(byteSourceFromBytes(await bytes(), 'vbfa-small.csv'));
    const document = log.eventAttributes.get('document');
    const c = log.caseIds.indexOf('0000000020');
    expect(document?.kind).toBe('string');
    expect(document && attributeValue(document, log.offsets[c])).toBe('0080000003');
    const category = log.eventAttributes.get('category');
    expect(category && attributeValue(category, log.offsets[c])).toBe('J');
  });

  it('reads ERDAT + ERZET in the given zone', async () => {
    const log = await importSapVbfa(byteSourceFromBytes(await bytes(), 'vbfa-small.csv'),
      { timezone: 'Europe/Berlin' });
    const c = log.caseIds.indexOf('0000000010');
    // By hand: 2024-01-15T00:00Z = 1705276800000; 09:30 CET = 08:30Z (+30,600,000 ms);
    // 10:00 CET = 09:00Z; 2024-01-16 08:00 CET = 07:00Z (+ 1 day + 25,200,000 ms).
    expect(Array.from(log.time.subarray(log.offsets[c], log.offsets[c + 1])))
      .toEqual([1705307400000, 1705309200000, 1705388400000]);
  });

  it('reads the gzip form the same, and importLog finds both from the header', async () => {
    const gz = gzipSync(await bytes());
    const viaGzip = await importSapVbfa(byteSourceFromBytes(gz, 'vbfa-small.csv.gz'));
    expect(traces(viaGzip)).toEqual(EXPECTED);
    expect(await looksLikeSapVbfa(byteSourceFromBytes(gz, 'x.gz'))).toBe(true);
    const sniffed = await importLog(byteSourceFromBytes(gz, 'vbfa-small.csv.gz'));
    expect(sniffed.info.format).toBe('sap-vbfa');
    expect(traces(sniffed)).toEqual(EXPECTED);
    const plain = await importLog(byteSourceFromBytes(await bytes(), 'vbfa-small.csv'));
    expect(plain.info.format).toBe('sap-vbfa');
  });

  it('leaves an ordinary CSV log to the CSV importer', async () => {
    const csv = 'case,activity,timestamp\nc1,A,2024-01-01T00:00:00Z\n';
    expect(await looksLikeSapVbfa(fromText(csv))).toBe(false);
    const log = await importLog(fromText(csv));
    expect(log.info.format).toBe('csv');
  });

  it('names the missing columns when forced on another table', async () => {
    const error = await importLog(fromText('VBELV,VBELN,ERDAT\n1,2,20240101\n'),
      { sapVbfa: true }).catch((e: unknown) => e);
    expect(isLedgerflowError(error, 'LF_ERR_INGEST_MISSING_COLUMN')).toBe(true);
    expect(String(error)).toContain('VBTYP_N, ERZET');
  });

  it('rejects an unreadable date with its line, or skips it when asked', async () => {
    const broken = (await text()).replace('20240301,120000', '2024031,120000');
    const error = await importSapVbfa(fromText(broken)).catch((e: unknown) => e);
    expect(isLedgerflowError(error, 'LF_ERR_INGEST_BAD_TIMESTAMP')).toBe(true);
    expect((error as { location: { line?: number } }).location.line).toBe(7);
    const log = await importSapVbfa(fromText(broken), { skipBadRows: true });
    expect(log.info.skippedRows).toEqual({ 'unreadable ERDAT/ERZET': 1 });
    // 0080000002 had only that row, so flow 0000000020 keeps one delivery.
    expect(traces(log)['0000000020']).toEqual(['Delivery']);
  });

  it('reads YYYYMMDD and HHMMSS strictly', () => {
    // By hand: 2024-02-29T23:59:59Z = 1704067200000 + 59 days + 86,399,000 ms.
    expect(sapTime('20240229', '235959')).toBe(1704067200000 + 59 * 86_400_000 + 86_399_000);
    expect(sapTime('20230229', '000000')).toBeNaN();
    expect(sapTime('20240101', '240000')).toBeNaN();
    expect(sapTime('00000000', '000000')).toBeNaN();
    expect(sapTime('2024a101', '000000')).toBeNaN();
    expect(sapTime('20240101', '0000x0')).toBeNaN();
    // SAP's initial time (blank) is midnight: 2024-01-01T00:00Z by hand.
    expect(sapTime('20240101', ' ')).toBe(1704067200000);
  });
});
