import { describe, expect, it } from 'vitest';
import type { AttributeColumn, CompiledLog } from '../src/log/compiled-log.js';
import { LogBuilder, type RawColumns } from '../src/log/log-builder.js';

// Three raw events, out of compiled order, and a case without events:
//   raw 0: case B, t=5    raw 1: case A, t=2    raw 2: case A, t=1
// Case codes follow first appearance (B 0, A 1, C 2); compiled order is raw 0 | raw 2, raw 1.
const TEXTS: Record<string, string[]> = {
  amount: ['9', '5.0', '5'], // one number per case, written two ways in A
  paid: ['', '3', ''], // only on A's later event: stays an event attribute
  flag: ['false', 'true', 'TRUE'], // one flag per case, written two ways in A
  zero: ['', '0', '-0'], // 0 and -0 are one value; A's first event says -0
  note: ['x', 'y', 'y'],
  label: ['x', 'y', 'z'], // differs within A: stays an event attribute
};
const OPTIONS = { promoteCaseAttributes: true };

// The numbers of the distinct texts of the number columns, by hand, as an importer that reads
// them from bytes hands them over (the texts are then never asked for).
const NUMBERS: Record<string, number[]> = { amount: [9, 5, 5], paid: [3], zero: [0, -0] };

function byColumns(numbersKnown: boolean): CompiledLog {
  const attributes = Object.entries(TEXTS).map(([name, cells]) => {
    const values: string[] = [];
    const codes = Int32Array.from(cells, (text) => {
      if (text === '') return -1;
      if (!values.includes(text)) values.push(text);
      return values.indexOf(text);
    });
    if (numbersKnown && name in NUMBERS) {
      const numbers = Float64Array.from(NUMBERS[name]);
      return { name, codes, size: values.length, texts: null, numbers };
    }
    return { name, codes, size: values.length, texts: () => values, numbers: null };
  });
  const info = { source: 't', format: 'test', mapping: {}, skippedRows: {} };
  return builderOf(attributes).finish(info);
}

function builderOf(attributes: RawColumns['attributes']): LogBuilder {
  return LogBuilder.fromColumns(OPTIONS, {
    caseIds: ['B', 'A', 'C'], caseOf: Int32Array.of(0, 1, 1),
    activities: ['act'], activityOf: Int32Array.of(0, 0, 0),
    time: Float64Array.of(5, 2, 1), start: null, transition: null,
    resources: [], resourceOf: null, attributes,
  });
}

function byEvents(): CompiledLog {
  const builder = new LogBuilder(OPTIONS);
  const rows: [string, number][] = [['B', 5], ['A', 2], ['A', 1]];
  rows.forEach(([caseId, time], row) => {
    builder.addEvent(caseId, 'act', time);
    for (const [name, cells] of Object.entries(TEXTS)) builder.setEventAttribute(name, cells[row]);
  });
  builder.addCase('C');
  return builder.finish({ source: 't', format: 'test', mapping: {}, skippedRows: {} });
}

function values(column: AttributeColumn | undefined): number[] {
  if (column === undefined) throw new Error('no such column');
  return Array.from(column.kind === 'string' ? column.codes : column.values);
}

describe.each([
  ['whole columns', () => byColumns(false)],
  ['whole columns, numbers known', () => byColumns(true)],
  ['event by event', byEvents],
])('attribute placement (%s)', (_, build) => {
  const log = build();

  it('moves one-value-per-case columns to the case table, compared as values', () => {
    expect([...log.caseAttributes.keys()]).toEqual(['amount', 'flag', 'zero', 'note']);
    expect(log.caseAttributes.get('amount')?.kind).toBe('number');
    expect(values(log.caseAttributes.get('amount'))).toEqual([9, 5, NaN]);
    expect(log.caseAttributes.get('flag')?.kind).toBe('boolean');
    expect(values(log.caseAttributes.get('flag'))).toEqual([0, 1, -1]);
    const zero = values(log.caseAttributes.get('zero'));
    expect(zero).toEqual([NaN, -0, NaN]);
    expect(Object.is(zero[1], -0)).toBe(true);
    expect(values(log.caseAttributes.get('note'))).toEqual([0, 1, -1]);
  });

  it('keeps the other columns per event, in compiled order', () => {
    expect([...log.eventAttributes.keys()]).toEqual(['paid', 'label']);
    expect(Array.from(log.offsets)).toEqual([0, 1, 3, 3]);
    expect(values(log.eventAttributes.get('paid'))).toEqual([NaN, NaN, 3]);
    const label = log.eventAttributes.get('label');
    expect(label?.kind === 'string' && label.dictionary).toEqual(['x', 'y', 'z']);
    expect(values(label)).toEqual([0, 2, 1]);
  });
});

it('a column handed over as numbers alone takes no further values', () => {
  const codes = Int32Array.of(0, -1, 1);
  const numbers = Float64Array.of(1, 2);
  const builder = builderOf([{ name: 'n', codes, size: 2, texts: null, numbers }]);
  expect(() => builder.eventAttributeBuilder('n').set(1, 'x')).toThrow(/read whole/);
});

describe('event columns of a file already in compiled order', () => {
  // Four raw events, already sorted by case and time: A at t=1, 2; B at t=3, 4. Each column
  // varies within a case, so each stays an event column; in compiled order it is the raw one.
  const label = ['x', 'y', 'x', 'z'];
  const flag = ['true', 'false', '', 'TRUE'];
  const paid = [NaN, 3, NaN, 4.5];
  const loaded = [1, 2, 3, 4];

  /** The log of the four events, in file order or with the file's rows reversed. */
  function build(reversed: boolean): CompiledLog {
    const rows = reversed ? [3, 2, 1, 0] : [0, 1, 2, 3];
    const coded = (cells: string[]) => {
      const texts: string[] = [];
      const codes = Int8Array.from(rows, (row) => {
        if (cells[row] === '') return -1;
        if (!texts.includes(cells[row])) texts.push(cells[row]);
        return texts.indexOf(cells[row]);
      });
      return { codes, size: texts.length, texts: () => texts, numbers: null };
    };
    // Case A is code 0 both ways, so both logs list A's events first.
    const caseIds = ['A', 'B'];
    const caseOf = Int32Array.from(rows, (row) => (row < 2 ? 0 : 1));
    const info = { source: 't', format: 'test', mapping: {}, skippedRows: {} };
    return LogBuilder.fromColumns(OPTIONS, {
      caseIds, caseOf, activities: ['act'], activityOf: new Int32Array(4),
      time: Float64Array.from(rows, (row) => row + 1), start: null, transition: null,
      resources: [], resourceOf: null,
      attributes: [
        { name: 'label', ...coded(label) },
        { name: 'flag', ...coded(flag) },
        { name: 'paid', values: Float64Array.from(rows, (row) => paid[row]) },
        { name: 'loaded', values: () => Float64Array.from(rows, (row) => loaded[row]) },
      ],
    }).finish(info);
  }

  it('are copied as they are, with the values worked out by hand', () => {
    const log = build(false);
    expect([...log.eventAttributes.keys()]).toEqual(['label', 'flag', 'paid', 'loaded']);
    const text = log.eventAttributes.get('label');
    expect(text?.kind === 'string' && text.dictionary).toEqual(['x', 'y', 'z']);
    expect(values(text)).toEqual([0, 1, 0, 2]);
    expect(text?.kind === 'string' && text.codes instanceof Int32Array).toBe(true);
    expect(log.eventAttributes.get('flag')?.kind).toBe('boolean');
    expect(values(log.eventAttributes.get('flag'))).toEqual([1, 0, -1, 1]);
    expect(values(log.eventAttributes.get('paid'))).toEqual(paid);
    expect(values(log.eventAttributes.get('loaded'))).toEqual(loaded);
  });

  it('equal those of the same rows in reverse file order (read through the index)', () => {
    const sorted = build(false);
    const reversed = build(true);
    for (const name of ['flag', 'paid', 'loaded']) {
      expect(values(reversed.eventAttributes.get(name)), name)
        .toEqual(values(sorted.eventAttributes.get(name)));
    }
    // Label codes follow first appearance in the file: z, x, y when reversed.
    const text = reversed.eventAttributes.get('label');
    expect(text?.kind === 'string' && text.codes.map((c) => 'zxy'.charCodeAt(c)))
      .toEqual(Int32Array.from('xyxz', (ch) => ch.charCodeAt(0)));
  });
});
