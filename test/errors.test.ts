import { describe, expect, it } from 'vitest';
import { errorRegistry, isLedgerflowError, LedgerflowError } from '../src/errors.js';

describe('error registry', () => {
  it('names every code LF_ERR_<AREA>_<PROBLEM> with an HTTP status and a message', () => {
    for (const [code, spec] of Object.entries(errorRegistry)) {
      expect(code).toMatch(/^LF_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.message.length).toBeGreaterThan(5);
    }
  });

  it('says where, what and the failing value, cut short', () => {
    const long = 'x'.repeat(500);
    const err = new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP', 'use --date-format',
      { file: 'a.csv', line: 7, field: 'Timestamp', value: long });
    expect(err.message).toBe(`a.csv, line 7, field "Timestamp": a timestamp cannot be read: ` +
      `use --date-format (value "${'x'.repeat(80)}…")`);
    expect([err.code, err.status]).toEqual(['LF_ERR_INGEST_BAD_TIMESTAMP', 400]);
    expect(isLedgerflowError(err, 'LF_ERR_INGEST_BAD_TIMESTAMP')).toBe(true);
    expect(isLedgerflowError(new Error('x'))).toBe(false);
  });
});
