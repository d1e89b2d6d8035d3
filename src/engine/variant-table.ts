/**
 * The variants of a mine result, ranked and held in columns: rank r has `counts[r]` cases,
 * its first case is `representatives[r]`, and its activity codes are
 * `codes[starts[r] … starts[r + 1])`.
 *
 * Columns, not one object per variant, because a large log has very many variants (about
 * 123,000 in a 20 M-event synthetic log) and most questions read a few of the top ones:
 * building an object and an array for each took longer than merging them. Objects are made
 * only for the ranks read (`at`, `slice`, iteration); `toJSON` gives the full list, so
 * serialising a result is unchanged.
 */

/** A distinct activity sequence, with the number of cases that follow it. */
export interface Variant {
  activities: number[];
  count: number;
  /** The first case (lowest code) with this sequence. */
  representative: number;
}

/** Ranked variants: count descending, then first appearance (case order). */
export class VariantTable implements Iterable<Variant> {
  /** Number of variants. */
  readonly length: number;
  /** Cases per rank. */
  readonly counts: Float64Array;
  /** First case of each rank. */
  readonly representatives: Int32Array;
  /** Where rank r's codes start in `codes`; length + 1 entries. */
  readonly starts: Int32Array;
  /** Every rank's activity codes, one after another. */
  readonly codes: Int32Array;

  constructor(counts: Float64Array, representatives: Int32Array, starts: Int32Array,
    codes: Int32Array) {
    this.length = counts.length;
    this.counts = counts;
    this.representatives = representatives;
    this.starts = starts;
    this.codes = codes;
  }

  /** A table from variants already in rank order (the reference builds it so). */
  static fromRanked(variants: readonly Variant[]): VariantTable {
    const n = variants.length;
    const starts = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) starts[r + 1] = starts[r] + variants[r].activities.length;
    const codes = new Int32Array(starts[n]);
    const counts = new Float64Array(n);
    const representatives = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      codes.set(variants[r].activities, starts[r]);
      counts[r] = variants[r].count;
      representatives[r] = variants[r].representative;
    }
    return new VariantTable(counts, representatives, starts, codes);
  }

  /** Rank r's activity codes, as a new array. */
  activities(rank: number): number[] {
    const from = this.starts[rank];
    const n = this.starts[rank + 1] - from;
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.codes[from + i];
    return out;
  }

  /**
   * Rank r as an object (a new one each call), with Array.prototype.at's reading of the index
   * (truncated toward zero, NaN as 0, negative from the end); undefined outside the table.
   */
  at(rank: number): Variant | undefined {
    const whole = Math.trunc(Number(rank)) || 0;
    const r = whole < 0 ? whole + this.length : whole;
    if (r < 0 || r >= this.length) return undefined;
    return {
      activities: this.activities(r), count: this.counts[r],
      representative: this.representatives[r],
    };
  }

  /** Ranks [from, to) as objects, with Array.prototype.slice's handling of bounds. */
  slice(from = 0, to = this.length): Variant[] {
    const lo = clampIndex(from, this.length);
    const hi = clampIndex(to, this.length);
    const out: Variant[] = [];
    for (let r = lo; r < hi; r++) out.push(this.at(r) as Variant);
    return out;
  }

  /** Every rank through `fn`, in rank order. */
  map<T>(fn: (variant: Variant, rank: number) => T): T[] {
    const out: T[] = new Array(this.length);
    for (let r = 0; r < this.length; r++) out[r] = fn(this.at(r) as Variant, r);
    return out;
  }

  /** Calls `fn` on every rank, in order. */
  forEach(fn: (variant: Variant, rank: number) => void): void {
    for (let r = 0; r < this.length; r++) fn(this.at(r) as Variant, r);
  }

  *[Symbol.iterator](): Iterator<Variant> {
    for (let r = 0; r < this.length; r++) yield this.at(r) as Variant;
  }

  /** Every variant as an object: what JSON.stringify writes for the table. */
  toArray(): Variant[] {
    return this.slice();
  }

  toJSON(): Variant[] {
    return this.toArray();
  }
}

function clampIndex(index: number, length: number): number {
  const i = Math.trunc(index) || 0;
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}
