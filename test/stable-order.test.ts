import { describe, expect, it } from 'vitest';
import { caseTimeOrder, sortByCaseTimePosition } from '../src/log/stable-order.js';

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

describe('caseTimeOrder', () => {
  const ordered = (cases: number[], times: number[], caseCount: number) => {
    const found = caseTimeOrder(Int32Array.from(cases), Float64Array.from(times), cases.length,
      caseCount);
    return found === null ? null : Array.from(found);
  };

  it('is null for a file already in (case, time) order, ties and a case code skipped too', () => {
    expect(ordered([0, 0, 1, 1, 1], [1, 2, 5, 5, 6], 2)).toBeNull();
    expect(ordered([0, 2, 2], [9, 1, 1], 3)).toBeNull();
    expect(ordered([], [], 0)).toBeNull();
  });

  it('is the sorted order otherwise: a case out of time order, or cases interleaved', () => {
    // By hand, as for sortByCaseTimePosition above.
    expect(ordered([0, 0, 1, 1, 1], [1, 2, 7, 5, 5], 2)).toEqual([0, 1, 3, 4, 2]);
    expect(ordered([1, 0, 1, 0], [3, 3, 1, 3], 2)).toEqual([1, 3, 2, 0]);
    // A later case code first: codes go down, so the file is not in order.
    expect(ordered([1, 0], [1, 2], 2)).toEqual([1, 0]);
  });
});
