/**
 * The ingest limits: precedence (option, environment, default), validation, and each limit's
 * error naming where and which limit. Inputs are built here; their sizes are chosen by hand
 * just over each limit.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { isLedgerflowError } from '../../src/errors.js';
import { byteSourceFromBytes } from '../../src/ingest/byte-source.js';
import { importLog } from '../../src/ingest/import-log.js';
import { kDefaultIngestLimits, resolveIngestLimits } from '../../src/ingest/limits.js';

async function failure(bytes: Uint8Array, limits: object) {
  const err = await importLog(byteSourceFromBytes(bytes, 'in'), { limits }).then(
    () => null, (e: unknown) => e);
  expect(isLedgerflowError(err), String(err)).toBe(true);
  return err as { code: string; message: string; location: { line?: number } };
}

describe('ingest limits', () => {
  test('an option wins over the environment, which wins over the default', () => {
    const env = { LEDGERFLOW_MAX_FIELD_CHARS: '500', LEDGERFLOW_MAX_INFLATE_RATIO: '7' };
    const limits = resolveIngestLimits({ maxFieldChars: 9 }, env);
    expect(limits.maxFieldChars).toBe(9);
    expect(limits.maxInflateRatio).toBe(7);
    expect(limits.maxInflatedBytes).toBe(2 * 1024 ** 3);
    expect(resolveIngestLimits({}, {})).toEqual(kDefaultIngestLimits);
  });

  test('a limit that is no whole number of at least 1 is an option error', () => {
    for (const text of ['0', '-5', '1.5', 'lots']) {
      expect(() => resolveIngestLimits({}, { LEDGERFLOW_MAX_ROW_CHARS: text }))
        .toThrow(/LEDGERFLOW_MAX_ROW_CHARS/);
    }
  });

  test('a gzip stream past the size cap stops, whatever its ratio', async () => {
    // 3 MiB of CSV rows inflate past a 2 MiB cap; the ratio cap is set out of reach.
    const rows = 'c1,A,2024-01-01T00:00:00Z\n'.repeat(3 * 1024 * 1024 / 26);
    const err = await failure(gzipSync(`case,activity,timestamp\n${rows}`),
      { maxInflatedBytes: 2 * 1024 ** 2, maxInflateRatio: 1e9 });
    expect(err.code).toBe('LF_ERR_INGEST_TOO_LARGE');
    expect(err.message).toMatch(/more than 2097152 bytes/);
  });

  test('a gzip stream over the ratio stops once past the grace bytes', async () => {
    const xml = `<log>${' '.repeat(8 * 1024 ** 2)}</log>`;
    const err = await failure(gzipSync(xml), { maxInflateRatio: 50, ratioAfterBytes: 1024 });
    expect(err.code).toBe('LF_ERR_INGEST_TOO_LARGE');
    expect(err.message).toMatch(/more than 50:1/);
  });

  test('a CSV field, row or field count over its limit names the line and the limit', async () => {
    const head = 'case,activity,timestamp\nc1,A,2024-01-01T00:00:00Z\n';
    const cases: [string, object, RegExp][] = [
      [`c2,"${'x'.repeat(101)}",2024-01-01\n`, { maxFieldChars: 100 }, /limit of 100 /],
      [`c2,${'x'.repeat(101)},2024-01-01\n`, { maxFieldChars: 100 }, /limit of 100 /],
      [`c2,${'x,'.repeat(60)}2024-01-01\n`, { maxRowFields: 50 }, /limit of 50 /],
      [`c2,${'x'.repeat(300)}\n`, { maxRowChars: 200 }, /limit of 200 /],
    ];
    for (const [line, limits, limit] of cases) {
      // Chunks of 64 bytes: the row spans many chunks, as a long line in a real file does.
      const bytes = Buffer.from(head + line);
      const source = { name: 'in', size: bytes.length, async *open() {
        for (let i = 0; i < bytes.length; i += 64) yield bytes.subarray(i, i + 64);
      } };
      const err = await importLog(source, { limits, format: 'csv' }).then(() => null,
        (e: unknown) => e) as { code: string; message: string; location: { line?: number } };
      expect(err?.code, String(err)).toBe('LF_ERR_INGEST_TOO_LARGE');
      expect(err.location.line).toBe(3);
      expect(err.message).toMatch(limit);
    }
  });
});
