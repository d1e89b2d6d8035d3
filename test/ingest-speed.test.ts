import { Bool, Float64, Int32, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../src/ingest/csv/csv-tokenizer.js';
import { attributeFromVector, dictionaryVector } from '../src/log/arrow-columns.js';
import { AttributeBuilder } from '../src/log/attribute-builder.js';
import { Dictionary } from '../src/log/growable.js';

// Correctness of the ingest fast paths; every expected value is worked out by hand from the
// inputs written next to it (speed itself is measured by bench/ingest.ts, not tested).

describe('numeric text columns without a dictionary', () => {
  it('keeps plain numbers as numbers', () => {
    const b = new AttributeBuilder('amount');
    b.set(0, '5182.80');
    b.set(2, '-0.5');
    b.set(3, '1e3'); // not the fast shape: the inference pattern decides
    b.set(4, ' 7 ');
    const column = b.finish(6, null);
    expect(column.kind).toBe('number');
    if (column.kind !== 'number') return;
    expect(Array.from(column.values)).toEqual([5182.8, NaN, -0.5, 1000, 7, NaN]);
  });

  it('falls back to the exact texts, in first-appearance order, at a non-number', () => {
    const b = new AttributeBuilder('amount');
    b.set(0, '5182.80');
    b.set(1, '5182.80');
    b.set(3, '12');
    b.set(4, 'n/a');
    b.set(5, '12');
    const column = b.finish(6, null);
    expect(column.kind).toBe('string');
    if (column.kind !== 'string') return;
    expect(column.dictionary).toEqual(['5182.80', '12', 'n/a']);
    expect(Array.from(column.codes)).toEqual([0, 0, -1, 1, 2, 1]);
  });

  it('treats leading zeros as identifiers, as inference does', () => {
    const b = new AttributeBuilder('code');
    b.set(0, '0.5');
    b.set(1, '007');
    const column = b.finish(2, null);
    expect(column.kind).toBe('string');
    if (column.kind !== 'string') return;
    expect(column.dictionary).toEqual(['0.5', '007']);
  });

  it('keeps call order when indices go back (case attributes)', () => {
    const b = new AttributeBuilder('limit');
    b.set(2, '5');
    b.set(0, '7');
    b.set(1, 'x');
    const column = b.finish(3, null);
    expect(column.kind).toBe('string');
    if (column.kind !== 'string') return;
    expect(column.dictionary).toEqual(['5', '7', 'x']);
    expect(Array.from(column.codes)).toEqual([1, 2, 0]);
  });

  it('turns numbers into text when a typed value of another kind arrives', () => {
    const b = new AttributeBuilder('flag');
    b.set(0, '1.50');
    b.set(1, true);
    const column = b.finish(2, null);
    expect(column.kind).toBe('string');
    if (column.kind !== 'string') return;
    expect(column.dictionary).toEqual(['1.50', 'true']);
  });
});

describe('dictionary with a last-value cache', () => {
  it('gives first-appearance codes whatever the repetition', () => {
    const d = new Dictionary();
    const codes = ['a', 'a', 'b', 'a', 'c', 'c', 'b'].map((v) => d.code(v));
    expect(codes).toEqual([0, 0, 1, 0, 2, 2, 1]);
    expect(d.values).toEqual(['a', 'b', 'c']);
  });
});

describe('tokenizer fast path for unquoted fields', () => {
  const text = 'a,b,c\r\n1,,3\n,"q,1",\n4,5,"x""y"\r\n\n6,7,8,';
  const expected = [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', '', '3'] },
    { line: 3, fields: ['', 'q,1', ''] },
    { line: 4, fields: ['4', '5', 'x"y'] },
    { line: 6, fields: ['6', '7', '8', ''] },
  ];

  it('splits rows the same at every chunk size', () => {
    for (let size = 1; size <= text.length; size++) {
      const rows: { line: number; fields: string[] }[] = [];
      const tokenizer = new CsvTokenizer(',', {
        row: (fields, count, line) => rows.push({ line, fields: fields.slice(0, count) }),
        malformed: (line, detail) => rows.push({ line, fields: [`bad: ${detail}`] }),
      });
      for (let at = 0; at < text.length; at += size) tokenizer.push(text.slice(at, at + size));
      tokenizer.end();
      expect(rows, `chunk size ${size}`).toEqual(expected);
    }
  });
});

describe('reloading Arrow columns in bulk', () => {
  // 20 rows with nulls at 2, 9 and 17 (so some bitmap bytes are whole and some are not).
  const values = Array.from({ length: 20 }, (_, i) => (i === 2 || i === 9 || i === 17 ? null
    : i * 1.5));
  const expected = values.map((v) => (v === null ? NaN : v));

  it('copies floats with their nulls as NaN, also from a sliced vector', () => {
    const vector = vectorFromArray(values, new Float64());
    const whole = attributeFromVector(vector);
    expect(whole.kind).toBe('number');
    if (whole.kind !== 'number') return;
    expect(Array.from(whole.values)).toEqual(expected);
    const sliced = attributeFromVector(vector.slice(5, 19));
    if (sliced.kind !== 'number') throw new Error('not a number column');
    expect(Array.from(sliced.values)).toEqual(expected.slice(5, 19));
  });

  it('reads 32-bit ints and booleans with nulls', () => {
    const ints = attributeFromVector(vectorFromArray([7, null, -3], new Int32()));
    if (ints.kind !== 'number') throw new Error('not a number column');
    expect(Array.from(ints.values)).toEqual([7, NaN, -3]);
    const flags = attributeFromVector(vectorFromArray([true, null, false, true], new Bool()));
    if (flags.kind !== 'boolean') throw new Error('not a boolean column');
    expect(Array.from(flags.values)).toEqual([1, -1, 0, 1]);
  });

  it('reads dictionary codes with nulls as -1', () => {
    const column = attributeFromVector(dictionaryVector(new Int32Array([1, -1, 0, 1]), ['a', 'b']));
    if (column.kind !== 'string') throw new Error('not a string column');
    expect(Array.from(column.codes)).toEqual([1, -1, 0, 1]);
    expect(column.dictionary).toEqual(['a', 'b']);
  });
});
