/**
 * Hostile receivables inputs: role mappings nested or sized to break a message builder, and
 * `by=` names that are JavaScript property names. Expected messages are written by hand from
 * the inputs below (the inputs are small enough to read).
 */
import { describe, expect, it } from 'vitest';
import { computeReceivables, parseRoleMapping } from '../src/analysis/receivables/index.js';
import { MAX_ROLES_TEXT_CHARS } from '../src/analysis/receivables/roles.js';
import { mineReference } from '../src/engine/reference.js';
import { isLedgerflowError, quoteValue } from '../src/errors.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import { importLog } from '../src/ingest/import-log.js';

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('quoteValue on any value', () => {
  it('previews a value nested 200,000 deep in a few characters', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    // Two levels shown, the third cut: [[[…]]]. Worked by hand.
    expect(quoteValue(JSON.parse(deep))).toBe('"[[[…]]]"');
  });

  it('previews a wide list with its first four items', () => {
    const wide = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(quoteValue(wide)).toBe('"[0, 1, 2, 3, …]"');
  });

  it('still quotes strings as before, cut at 80 characters', () => {
    expect(quoteValue('abc')).toBe('"abc"');
    expect(quoteValue('x'.repeat(100))).toBe(`"${'x'.repeat(80)}…"`);
  });
});

describe('hostile role mappings', () => {
  it('refuses a role nested 100,000 deep as BAD_ROLES, saying a role is a list of names', () => {
    const text = `{"roles": {"payment": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const err = errorOf(() => parseRoleMapping(text, 'deep.json'));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
    expect(err.message).toContain('deep.json, field "roles.payment"');
    expect(err.message).toContain('expected a list of non-empty activity names');
    expect(err.message).toContain('(got "[[[…]]]")');
  });

  it('refuses a deep object the same way', () => {
    let text = '"x"';
    for (let i = 0; i < 50_000; i++) text = `{"a":${text}}`;
    const err = errorOf(() => parseRoleMapping(`{"roles":{"payment":${text}}}`));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
    expect(err.message).toContain('(got "{\\"a\\": {\\"a\\": {…}}}")');
  });

  it('refuses text over the size cap before parsing, saying what to check', () => {
    const text = `{"note": "${'n'.repeat(MAX_ROLES_TEXT_CHARS)}"}`;
    const err = errorOf(() => parseRoleMapping(text, 'big.json'));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
    expect(err.message).toContain(`${MAX_ROLES_TEXT_CHARS + 12} characters long`);
    expect(err.message).toContain('check that this is the right file');
  });

  it('refuses a role with more than 10,000 names', () => {
    const names = Array.from({ length: 10_001 }, (_, i) => `a${i}`);
    const err = errorOf(() => parseRoleMapping({ roles: { payment: names } }));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
    expect(err.message).toContain('10001 activity names');
  });
});

const CSV_PROTO = [
  'case,activity,timestamp,constructor',
  'c0,Invoice Created,2024-01-01T00:00:00Z,K0',
  'c0,Payment Received,2024-01-05T00:00:00Z,K0',
  'c1,Invoice Created,2024-01-02T00:00:00Z,K1',
].join('\n');

async function logOf(csv: string) {
  return importLog(byteSourceFromBytes(Buffer.from(csv), 'x.csv'));
}

describe('by= names that are JavaScript property names', () => {
  it.each(['toString', 'hasOwnProperty', '__proto__', 'valueOf'])(
    'by=%s is an unknown attribute, named in the message', async (by) => {
      const log = await logOf(CSV_PROTO);
      const err = errorOf(() => computeReceivables(log, mineReference(log), { by }));
      expect(isLedgerflowError(err, 'LF_ERR_OPTION_INVALID')).toBe(true);
      expect(err.message).toContain(`there is no case or event attribute "${by}" to group by`);
      expect(err.message).toContain('Choose one of: "constructor"');
    });

  it('by=constructor groups by the column of that name (c0 → K0, c1 → K1)', async () => {
    const log = await logOf(CSV_PROTO);
    const r = computeReceivables(log, mineReference(log), { by: 'constructor' });
    expect(r.by?.groups.map((g) => g.label).sort()).toEqual(['K0', 'K1']);
  });

  it('by=agent on a log with no agent column and no resource says what to do', async () => {
    const log = await logOf(CSV_PROTO);
    const err = errorOf(() => computeReceivables(log, mineReference(log), { by: 'agent' }));
    expect(isLedgerflowError(err, 'LF_ERR_OPTION_INVALID')).toBe(true);
    expect(err.message).toContain('there is no agent to group by');
    expect(err.message).toContain('--resource COLUMN');
    expect(err.message).toContain('attributes.agent');
    expect(err.message).toContain('group by one of: "constructor"');
  });

  it('by=AGENT on a log with a resource groups by the resource', async () => {
    const csv = 'case,activity,timestamp,org:resource\n'
      + 'c0,Invoice Created,2024-01-01T00:00:00Z,Ann\n'
      + 'c1,Invoice Created,2024-01-02T00:00:00Z,Bob\n';
    const log = await logOf(csv);
    const r = computeReceivables(log, mineReference(log), { by: 'AGENT' });
    expect(r.by?.groups.map((g) => g.label).sort()).toEqual(['Ann', 'Bob']);
  });
});
