/**
 * A column received in parts (the scanner's batches), joined into one array at the end: each
 * part is copied once on arrival and once into the whole, instead of at every doubling.
 * @internal
 */
type Typed = Int32Array | Float64Array;

export class ColumnParts<T extends Typed> {
  readonly #ctor: new (length: number) => T;
  #parts: T[] = [];
  #length = 0;

  constructor(ctor: new (length: number) => T) {
    this.#ctor = ctor;
  }

  /** Keeps a copy of `part` (a view into memory that is about to be reused). */
  add(part: { length: number; slice(): T }): void {
    if (part.length === 0) return;
    this.#parts.push(part.slice());
    this.#length += part.length;
  }

  /** The parts one after another; the parts are let go of. */
  whole(): T {
    const parts = this.#parts;
    if (parts.length === 1) {
      this.#parts = [];
      return parts[0];
    }
    const all = new this.#ctor(this.#length);
    let offset = 0;
    for (const part of parts) {
      all.set(part as never, offset);
      offset += part.length;
    }
    this.#parts = [];
    return all;
  }
}
