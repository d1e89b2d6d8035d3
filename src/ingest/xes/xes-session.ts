/**
 * What one reading of an XES document builds: the log builder and the reader state machine
 * that feeds it. The fast path and the saxes path each make their own, so a fast reading
 * abandoned halfway leaves nothing behind in the one that replaces it.
 */
import { LogBuilder } from '../../log/log-builder.js';
import type { ImportOptions } from '../import-options.js';
import { ZoneClock } from '../time-zone.js';
import { XesReader, type XesKeys, xesKeys } from './xes-reader.js';
import { parseXesDate } from './xes-time.js';
import type { XmlPosition } from './xml-guard.js';

/** A builder and the reader writing into it. */
export interface XesSession {
  builder: LogBuilder;
  reader: XesReader;
  keys: XesKeys;
  /** How the reader reads dates, and whether a date without offset is UTC. */
  parseTime: (text: string) => number;
  naiveUtc: boolean;
}

/** A new session for `options`; `at` tells the reader where the parser is, for messages. */
export function openSession(options: ImportOptions, file: string, at: XmlPosition): XesSession {
  const keys = xesKeys(options);
  const builder = new LogBuilder({ lifecycle: options.lifecycle ?? 'pair', parseTime: null });
  // Naive times are read in the import's zone; the clock validates the zone name first.
  const clock = options.timezone === undefined ? null : new ZoneClock(options.timezone);
  const parseTime = clock === null || clock.isUtc
    ? (text: string) => parseXesDate(text)
    : (text: string) => parseXesDate(text, clock);
  const reader = new XesReader(builder, keys, file, at, parseTime, options.skipBadRows === true);
  return { builder, reader, keys, parseTime, naiveUtc: clock === null || clock.isUtc };
}
