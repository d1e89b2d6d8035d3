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
 * Whether a {@link isScannerStop} stop is the scanner's memory running out: its own capacity
 * traps (`unreachable`, assembly/csv/heap.ts and dictionary.ts; a grow the system refuses
 * traps there too). Other traps (an access out of bounds) would be a fault of the scanner's.
 * A RangeError is not: it comes from JavaScript, most often a memory that could not be
 * reserved at all (a process limited to 8 GB of address space could not make the first
 * one), which says nothing of the file's texts; such a file goes to the row importer.
 */
export function isScannerFull(err: Error): boolean {
  return err instanceof RuntimeError && err.message.includes('unreachable');
}
