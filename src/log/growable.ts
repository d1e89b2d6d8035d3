/**
 * Growable typed arrays: importers append one value per event without knowing the count.
 * @internal
 */

type TypedArray = Int32Array | Float64Array | Int8Array | Int16Array;
type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

/** An append-only typed array that doubles its capacity when full. */
export class Growable<T extends TypedArray> {
  #ctor: TypedArrayCtor<T>;
  #fill: number;
  data: T;
  length = 0;

  constructor(ctor: TypedArrayCtor<T>, fill = 0, capacity = 1024) {
    this.#ctor = ctor;
    this.#fill = fill;
    this.data = new ctor(capacity);
    if (fill !== 0) this.data.fill(fill);
  }

  /** A growable holding `data` (its whole length), e.g. a column read in one piece. */
  static of<T extends TypedArray>(ctor: TypedArrayCtor<T>, data: T, fill = 0): Growable<T> {
    const g = new Growable(ctor, fill, 1);
    g.data = data;
    g.length = data.length;
    return g;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.#grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Writes at `index`, growing (and padding with the fill value) as needed. */
  set(index: number, value: number): void {
    if (index >= this.data.length) this.#grow(index + 1);
    this.data[index] = value;
    if (index >= this.length) this.length = index + 1;
  }

  get(index: number): number {
    return index < this.length ? this.data[index] : this.#fill;
  }

  /** Pads to `length` with the fill value. */
  padTo(length: number): void {
    if (length > this.data.length) this.#grow(length);
    if (length > this.length) this.length = length;
  }

  /** A right-sized copy of the values. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }

  #grow(minimum: number): void {
    // At least 16: a growable adopted from an empty array has capacity 0.
    let capacity = Math.max(this.data.length * 2, 16);
    while (capacity < minimum) capacity *= 2;
    const next = new this.#ctor(capacity);
    if (this.#fill !== 0) next.fill(this.#fill, this.length);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
}

/**
 * Assigns dense codes to strings in order of first appearance.
 *
 * The last value looked up is remembered: flat exports repeat a case's id and its case
 * attributes on every row of the case, and comparing with the previous string is much cheaper
 * than hashing it again for the map (profiles showed the map as the importers' top cost).
 */
export class Dictionary {
  readonly values: string[];
  /** Built on first lookup: a dictionary adopted whole may never be asked for a code. */
  #codes: Map<string, number> | null = null;
  #last: string | null = null;
  #lastCode = -1;
  /** Characters of the values {@link code} added (for the row importers' heap budget). */
  chars = 0;

  /** An empty dictionary, or one holding `values` (distinct, in code order). */
  constructor(values: string[] = []) {
    this.values = values;
  }

  code(value: string): number {
    if (value === this.#last) return this.#lastCode;
    const codes = this.#map();
    let code = codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      codes.set(value, code);
      this.chars += value.length;
    }
    this.#last = value;
    this.#lastCode = code;
    return code;
  }

  lookup(value: string): number | undefined {
    return this.#map().get(value);
  }

  get size(): number {
    return this.values.length;
  }

  #map(): Map<string, number> {
    if (this.#codes !== null) return this.#codes;
    const codes = new Map<string, number>();
    for (let code = 0; code < this.values.length; code++) codes.set(this.values[code], code);
    this.#codes = codes;
    return codes;
  }
}
