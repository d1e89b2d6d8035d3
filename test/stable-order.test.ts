import { describe, expect, it } from 'vitest';
import { sortByCaseTimePosition } from '../src/log/stable-order.js';

const order = (cases: number[], times: number[], caseCount: number, position?: number[]) =>
  Array.from(sortByCaseTimePosition(Int32Array.from(cases), Float64Array.from(times),
    cases.length, caseCount, position === undefined ? undefined : Int32Array.from(position)));

// Expected orders worked out by hand: by case, then time, then position (file order).
describe('sortByCaseTimePosition', () => {
  it('keeps items grouped by case in order, sorting only a case with a later time first', () => {
    expect(order([0, 0, 1, 1, 1], [1, 2, 5, 5, 6], 2)).toEqual([0, 1, 2, 3, 4]);
    expect(order([0, 0, 1, 1, 1], [1, 2, 7, 5, 5], 2)).toEqual([0, 1, 3, 4, 2]);
  });

  it('groups interleaved cases, ties keeping file order', () => {
    expect(order([1, 0, 1, 0], [3, 3, 1, 3], 2)).toEqual([1, 3, 2, 0]);
    expect(order([0, 1, 0], [2, 1, 2], 3)).toEqual([0, 2, 1]);
  });

  it('breaks time ties by the positions given', () => {
    expect(order([0, 0, 0], [4, 4, 1], 1, [9, 3, 5])).toEqual([2, 1, 0]);
  });
});
