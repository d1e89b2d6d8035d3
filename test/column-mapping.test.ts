import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { mappingNames, resolveColumnMapping } from '../src/ingest/column-mapping.js';

const names = (header: string[], mapping = {}) =>
  mappingNames(header, resolveColumnMapping(header, mapping));

// Expected mappings are read off the alias lists of the brief by hand.
describe('column mapping', () => {
  it('recognises XES-style keys', () => {
    expect(names(['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource',
      'lifecycle:transition'])).toEqual({
      case: 'case:concept:name', activity: 'concept:name', timestamp: 'time:timestamp',
      resource: 'org:resource', lifecycle: 'lifecycle:transition',
    });
  });

  it('ignores case, spaces, underscores and dashes', () => {
    expect(names(['CASE-ID', 'Activity_Name', 'Complete  Timestamp', 'Start_Time', 'USER']))
      .toEqual({
        case: 'CASE-ID', activity: 'Activity_Name', timestamp: 'Complete  Timestamp',
        startTimestamp: 'Start_Time', resource: 'USER',
      });
    expect(names(['Invoice Number', 'event', 'date', 'amount'])).toEqual({
      case: 'Invoice Number', activity: 'event', timestamp: 'date',
    });
  });

  it('prefers the more specific alias', () => {
    // `Timestamp` comes before `date` in the alias list; `case_id` before `invoice`.
    expect(names(['invoice', 'case_id', 'Activity', 'date', 'Timestamp'])).toMatchObject({
      case: 'case_id', timestamp: 'Timestamp',
    });
  });

  it('lets a mapped column win over an alias, and never uses one column twice', () => {
    expect(names(['case', 'Activity', 'time', 'due date'], { timestamp: 'due date' }))
      .toEqual({ case: 'case', activity: 'Activity', timestamp: 'due date' });
    const mapping = { case: 'invoice', activity: 'Step', timestamp: 'When' };
    expect(names(['Invoice', 'Step', 'When'], mapping))
      .toEqual({ case: 'Invoice', activity: 'Step', timestamp: 'When' });
  });

  it('fails with LF_ERR_INGEST_MISSING_COLUMN naming the column and the header', () => {
    for (const [header, mapping, part] of [
      [['case', 'activity', 'timestamp'], { resource: 'Agent Name' }, '"Agent Name"'],
      [['case', 'activity', 'when'], {}, 'timestamp'],
    ] as const) {
      let caught: unknown;
      try {
        resolveColumnMapping([...header], mapping);
      } catch (err) {
        caught = err;
      }
      expect(isLedgerflowError(caught, 'LF_ERR_INGEST_MISSING_COLUMN')).toBe(true);
      expect(String(caught)).toContain(part);
      expect(String(caught)).toContain('"case", "activity"');
    }
  });
});

describe('one column for two roles', () => {
  it('is refused, naming the column and both roles', () => {
    expect(() => resolveColumnMapping(['case', 'activity', 'timestamp'],
      { case: 'timestamp', activity: 'timestamp' }, 'm.csv'))
      .toThrow(/"timestamp" is mapped to both case and activity/);
  });
});
