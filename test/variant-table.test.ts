// The columnar variant table of a mine result: every way of reading it gives the ranked list
// it was built from. Expected values are the hand-written list below.
import { describe, expect, it } from 'vitest';
import { VariantTable, type Variant } from '../src/engine/variant-table.js';

const ranked: Variant[] = [
  { activities: [0, 1, 2], count: 5, representative: 0 },
  { activities: [], count: 2, representative: 3 },
  { activities: [2], count: 1, representative: 1 },
];

describe('VariantTable', () => {
  const table = VariantTable.fromRanked(ranked);

  it('holds the ranks in columns', () => {
    expect(table.length).toBe(3);
    expect(Array.from(table.counts)).toEqual([5, 2, 1]);
    expect(Array.from(table.representatives)).toEqual([0, 3, 1]);
    expect(Array.from(table.starts)).toEqual([0, 3, 3, 4]);
    expect(Array.from(table.codes)).toEqual([0, 1, 2, 2]);
  });

  it('reads ranks as objects, with Array bounds', () => {
    expect(table.at(0)).toEqual(ranked[0]);
    expect(table.at(-1)).toEqual(ranked[2]);
    expect(table.at(3)).toBeUndefined();
    // Array's `at` reads the index by truncation, NaN as 0: the same ranks as a plain list.
    for (const index of [1.5, -0.5, Number.NaN, -1.5, 2.9, 3, -4]) {
      expect(table.at(index)).toEqual(ranked.at(index));
    }
    expect(table.activities(1)).toEqual([]);
    expect(table.slice(1)).toEqual(ranked.slice(1));
    expect(table.slice(-2, -1)).toEqual(ranked.slice(-2, -1));
    expect(table.slice(0, 99)).toEqual(ranked);
    expect(table.slice(2, 1)).toEqual([]);
  });

  it('iterates, maps and serialises as the list', () => {
    expect([...table]).toEqual(ranked);
    expect(table.map((v, r) => `${r}:${v.count}`)).toEqual(['0:5', '1:2', '2:1']);
    const seen: number[] = [];
    table.forEach((v) => seen.push(v.representative));
    expect(seen).toEqual([0, 3, 1]);
    expect(JSON.parse(JSON.stringify({ variants: table }))).toEqual({ variants: ranked });
  });

  it('gives fresh objects, so a caller cannot change the table', () => {
    const first = table.at(0) as Variant;
    first.activities.push(9);
    first.count = 0;
    expect(table.at(0)).toEqual(ranked[0]);
  });

  it('is empty for no variants', () => {
    const empty = VariantTable.fromRanked([]);
    expect(empty.length).toBe(0);
    expect(empty.toArray()).toEqual([]);
    expect(Array.from(empty.starts)).toEqual([0]);
  });
});
