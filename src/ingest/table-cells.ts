/**
 * Helpers shared by the binary table readers (Parquet, Arrow IPC, XLSX): typed values those
 * formats carry, turned into the cells a TabularSink takes.
 */
import type { ImportOptions } from './import-options.js';
import type { Cell } from './tabular-sink.js';

/** The exact floor of `value / divisor` as a number (BigInt division truncates toward 0). */
export function floorDivide(value: bigint, divisor: bigint): number {
  let q = value / divisor;
  if (value % divisor !== 0n && (value < 0n) !== (divisor < 0n)) q -= 1n;
  return Number(q);
}

/** A 64-bit integer as a cell: a number when exact, else its decimal text (an id, say). */
export function bigintCell(value: bigint): Cell {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/**
 * A time without a zone (Parquet `isAdjustedToUTC=false`, Arrow timestamp without tz, Excel
 * dates), given as epoch ms of its wall-clock reading in UTC. In UTC it is already the instant;
 * in another zone it goes on as zone-less ISO text, so the sink reads it in `options.timezone`
 * exactly as it reads naive CSV times.
 */
export function naiveTimeCell(wallClockMs: number, options: ImportOptions): Cell {
  if (!Number.isFinite(wallClockMs)) return null;
  const zone = options.timezone;
  if (zone === undefined || zone === 'UTC' || zone === 'Etc/UTC') return new Date(wallClockMs);
  return new Date(wallClockMs).toISOString().slice(0, -1);
}

/** Any other value (a struct, a list, a decimal) as a cell: JSON text, or null. */
export function otherCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isNaN(value) ? null : value;
    case 'bigint':
      return bigintCell(value);
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
      return JSON.stringify(value, (_key, v: unknown) =>
        (typeof v === 'bigint' ? bigintCell(v) : v));
  }
}
