/**
 * Attribute columns of a reopened log that are read from disk on first use. The log keeps its
 * contract: `eventAttributes` and `caseAttributes` are Maps whose keys and size are known at
 * once, and whose values appear when read through any of the Map's reading methods.
 * @internal
 */

/** Makes a value once; a failure is kept and thrown again on every later try. */
export function once<T>(make: () => T, done?: () => void): () => T {
  let state: { value: T } | { error: unknown } | null = null;
  return () => {
    if (state === null) {
      try {
        state = { value: make() };
      } catch (error) {
        state = { error };
      }
      done?.();
    }
    if ('error' in state) throw state.error;
    return state.value;
  };
}

/**
 * A Map whose values may be pending: a pending entry is made by its loader the first time it
 * is read (get, values, entries, forEach or iteration), then kept like any other entry.
 * `has`, `keys` and `size` never load. Setting or deleting a key drops its loader.
 */
export class LazyColumnMap<V> extends Map<string, V> {
  // Created lazily: Map's constructor calls `set` before subclass fields exist.
  #pending?: Map<string, () => V>;

  /** Adds a key whose value `load` makes on first read. */
  setLazy(key: string, load: () => V): this {
    (this.#pending ??= new Map()).set(key, load);
    // The placeholder is never handed out: every reading method loads first.
    return super.set(key, undefined as V);
  }

  /** True when the key's value was not read yet. */
  isPending(key: string): boolean {
    return this.#pending?.has(key) ?? false;
  }

  override get(key: string): V | undefined {
    const load = this.#pending?.get(key);
    if (load !== undefined) {
      const value = load();
      this.#pending?.delete(key);
      super.set(key, value);
    }
    return super.get(key);
  }

  override set(key: string, value: V): this {
    this.#pending?.delete(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#pending?.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.#pending?.clear();
    super.clear();
  }

  override values(): MapIterator<V> {
    this.#loadAll();
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    this.#loadAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(each: (value: V, key: string, map: Map<string, V>) => void,
    thisArg?: unknown): void {
    this.#loadAll();
    super.forEach(each, thisArg);
  }

  #loadAll(): void {
    if (this.#pending === undefined) return;
    for (const key of [...this.#pending.keys()]) this.get(key);
  }
}

/**
 * Defines properties of `target` that `load` makes together on the first read of any of them,
 * and that are then plain data properties (also when assigned before being read).
 */
export function defineLazyGroup<T extends object, K extends keyof T & string>(
  target: T, keys: K[], load: () => Pick<T, K>,
): void {
  const settled = new Set<string>();
  const settle = (key: K, value: unknown) => {
    settled.add(key);
    Object.defineProperty(target, key, {
      value, writable: true, enumerable: true, configurable: true,
    });
  };
  const loadAll = () => {
    const values = load();
    // A key assigned before the first read keeps its assigned value.
    for (const key of keys) if (!settled.has(key)) settle(key, values[key]);
  };
  for (const key of keys) {
    Object.defineProperty(target, key, {
      get: () => {
        loadAll();
        return target[key];
      },
      set: (value: unknown) => settle(key, value),
      enumerable: true,
      configurable: true,
    });
  }
}
