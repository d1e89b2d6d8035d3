/**
 * The compiled log: ledgerflow's single internal representation of an event log.
 *
 * Built once per import, it feeds every question. Events are activity instances sorted by case,
 * then start time, then original file position (ties keep file order). Case `c` owns events
 * `offsets[c]` to `offsets[c + 1]`, so any range of cases can be handed to a worker.
 *
 * ```
 *  case c:        0           1       2 (empty)   3
 *  offsets:   [0,         3,      5,          5,      6]
 *  activity:  [a0 a1 a2 | a0 a3 |          | a1]        Int32 dictionary codes
 *  start:     [t  t  t  | t  t  |          | t ]        epoch ms (f64), UTC
 *  time:      [t  t  t  | t  t  |          | t ]        epoch ms (f64), UTC: the end
 * ```
 */

/** The kinds of typed attribute column. */
export type AttributeKind = 'string' | 'number' | 'boolean' | 'time';

/** A typed column of attribute values, one per event or per case. */
export type AttributeColumn =
  /** Dictionary codes into `dictionary`; -1 means missing. */
  | { kind: 'string'; codes: Int32Array; dictionary: string[] }
  /** NaN means missing. */
  | { kind: 'number'; values: Float64Array }
  /** -1 missing, 0 false, 1 true. */
  | { kind: 'boolean'; values: Int8Array }
  /** Epoch milliseconds, UTC; NaN means missing. */
  | { kind: 'time'; values: Float64Array };

/** How lifecycle transitions were turned into activity instances. */
export interface LifecycleSummary {
  /** Raw events read from the source, before pairing. */
  rawEvents: number;
  /** Instances made of a start and its complete. */
  pairedInstances: number;
  /** Starts with no matching complete: kept as instances that end when they start. */
  unpairedStarts: number;
  /** Completes with no matching start: kept as instant instances. */
  unpairedCompletes: number;
  /** Events with another transition (schedule, assign, suspend…): counted, not instances. */
  otherTransitions: number;
}

/** Facts about where a compiled log came from and what its import decided. */
export interface LogInfo {
  /** File name (never a full path from a request) or a label. */
  source: string;
  /** csv, xes, parquet, arrow, xlsx, generated, compiled. */
  format: string;
  /** Which source field became which role (case, activity, timestamp…). */
  mapping: Record<string, string>;
  lifecycle: LifecycleSummary;
  /** Rows skipped under `skipBadRows`, counted by reason. */
  skippedRows: Record<string, number>;
}

/** The compiled log of the design: columns of codes and times, plus the case table. */
export interface CompiledLog {
  caseCount: number;
  eventCount: number;
  /** Case id of each case code (cases in order of first appearance in the source). */
  caseIds: string[];
  /** Activity name of each activity code. */
  activities: string[];
  /** Resource name of each resource code. */
  resources: string[];
  /** caseCount + 1 offsets into the event columns. */
  offsets: Int32Array;
  /** Activity code of each event. */
  activity: Int32Array;
  /** End (or only) time of each event, epoch ms UTC. */
  time: Float64Array;
  /** Start time of each event; the same array as `time` when the log has no intervals. */
  start: Float64Array;
  /** True when some event has a start before its end. */
  hasIntervals: boolean;
  /** Resource code of each event, -1 for none; null when the log has no resources. */
  resource: Int32Array | null;
  /** Other event attributes, one value per event. */
  eventAttributes: Map<string, AttributeColumn>;
  /** Case attributes, one value per case. */
  caseAttributes: Map<string, AttributeColumn>;
  info: LogInfo;
}

/** Reads one attribute value as a plain JS value (null when missing). */
export function attributeValue(
  column: AttributeColumn,
  index: number,
): string | number | boolean | null {
  switch (column.kind) {
    case 'string': {
      const code = column.codes[index];
      return code < 0 ? null : column.dictionary[code];
    }
    case 'number':
    case 'time': {
      const v = column.values[index];
      return Number.isNaN(v) ? null : v;
    }
    case 'boolean': {
      const v = column.values[index];
      return v < 0 ? null : v === 1;
    }
  }
}
