/**
 * How the WASM CSV scanner (csv-scanner.ts) stops on its own, told apart from other errors:
 * a stop sends the file to the row importer; a stop for want of memory may refuse it.
 * @internal
 */

/** WebAssembly's trap (Node's own types leave it out). */
const RuntimeError = (WebAssembly as unknown as { RuntimeError: ErrorConstructor }).RuntimeError;

/**
 * Whether `err` is the scanner stopping on its own: a trap (its heap ends short of 4 GiB), or
 * no memory to reserve for it. The caller then gives the file to the row importer.
 */
export function isScannerStop(err: unknown): err is Error {
  return err instanceof RuntimeError || err instanceof RangeError;
}

/**
 * Whether a {@link isScannerStop} stop is memory running out: the scanner's own capacity
 * traps (`unreachable`, assembly/csv/heap.ts and dictionary.ts), or no memory to reserve for
 * it or its arrays. Other stops (an access out of bounds, an invalid length) would be faults,
 * and are not taken for a file too large.
 */
export function isScannerFull(err: Error): boolean {
  if (err instanceof RangeError) {
    return err.message.startsWith('WebAssembly.Memory') ||
      err.message.includes('allocation failed');
  }
  return err.message.includes('unreachable');
}
