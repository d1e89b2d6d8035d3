/**
 * A column received in parts (the scanner's batches), joined into one array at the end: each
 * part is copied once on arrival and once into the whole, instead of at every doubling. A
 * part that holds only the fill value (no start times, no resources) is not kept at all.
 * @internal
 */
type Typed = Int32Array | Float64Array;

interface Part<T> {
  values: T | null;
  length: number;
}

export class ColumnParts<T extends Typed> {
  readonly #ctor: new (length: number) => T;
  readonly #fill: number;
  #parts: Part<T>[] = [];
  #length = 0;

  constructor(ctor: new (length: number) => T, fill: number) {
    this.#ctor = ctor;
    this.#fill = fill;
  }

  /** Keeps a copy of `part` (a view into memory that is about to be reused). */
  add(part: ArrayLike<number> & { slice(): T }): void {
    const { length } = part;
    if (length === 0) return;
    this.#parts.push({ values: onlyFill(part, this.#fill) ? null : part.slice(), length });
    this.#length += length;
  }

  /** A new part of `length` rows holding the fill value, to be written and then owned. */
  page(length: number): T {
    const page = new this.#ctor(length);
    if (this.#fill !== 0) page.fill(this.#fill);
    return page;
  }

  /** Takes `values` (from {@link page}) as the next part, or `length` rows of fill for null. */
  addOwned(values: T | null, length: number): void {
    if (length === 0) return;
    this.#parts.push({ values, length });
    this.#length += length;
  }

  /** {@link whole}, or null when every row holds the fill value (no array is made). */
  wholeOrNull(): T | null {
    if (this.#parts.every((part) => part.values === null)) {
      this.#parts = [];
      return null;
    }
    return this.whole();
  }

  /** The parts one after another; the parts are let go of. */
  whole(): T {
    const parts = this.#parts;
    this.#parts = [];
    if (parts.length === 1 && parts[0].values !== null) return parts[0].values;
    const all = new this.#ctor(this.#length);
    if (this.#fill !== 0) all.fill(this.#fill);
    let offset = 0;
    for (const part of parts) {
      if (part.values !== null) all.set(part.values as never, offset);
      offset += part.length;
    }
    return all;
  }
}

function onlyFill(values: ArrayLike<number>, fill: number): boolean {
  const nan = Number.isNaN(fill);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (nan ? !Number.isNaN(v) : v !== fill) return false;
  }
  return true;
}
