/**
 * Options of the process map — the two Disco-like sliders, the view and the drawing cap — with
 * their defaults and a parser from query-like strings (the server's `?view=…&pathShare=…`).
 */
import { LedgerflowError, quoteValue } from '../errors.js';

/** What the arrows show: how often (frequency) or how long cases wait (performance). */
export type MapView = 'frequency' | 'performance';

/** Which waiting-time statistic the performance view writes on the arrows. */
export type MapStatistic = 'median' | 'mean';

/** Options of {@link processMapDot} and {@link processMapSvg}. */
export interface MapOptions {
  view: MapView;
  statistic: MapStatistic;
  /** 0..1: keep the most frequent share of the activities (at least one). */
  activityShare: number;
  /** 0..1: keep the most frequent share of the paths; every kept activity stays connected. */
  pathShare: number;
  /** Upper bound on drawn activities, whatever the slider says. */
  maxNodes: number;
  /**
   * The activities chosen already (by {@link selectActivities}) when `mined` is a result
   * projected on them; unset, the selection is made from `mined` itself.
   */
  activityMask?: Uint8Array;
}

/**
 * Defaults: every activity, a fifth of the paths, at most 40 boxes. A fifth of the paths keeps
 * BPIC 2012 (24 activities) and road-traffic fines readable while the connectivity rule still
 * draws every activity; the cap keeps a log of hundreds of activities from exploding.
 */
export const kDefaultMapOptions: Readonly<MapOptions> = {
  view: 'frequency',
  statistic: 'median',
  activityShare: 1,
  pathShare: 0.2,
  maxNodes: 40,
};

/** The largest accepted `maxNodes`: Graphviz layouts beyond it take seconds and read badly. */
export const MAX_DRAWN_NODES = 500;

/** Keys {@link parseMapOptions} reads; other keys (filters) are left to their owners. */
export const MAP_OPTION_KEYS = [
  'view', 'statistic', 'activityShare', 'pathShare', 'maxNodes',
] as const;

/**
 * Reads map options from query-like strings; missing keys take the defaults, other keys are
 * ignored. Throws `LF_ERR_OPTION_INVALID` naming the key, the value and the accepted range.
 */
export function parseMapOptions(
  query: URLSearchParams | Record<string, unknown>,
): MapOptions {
  const get = (key: string): string | undefined => {
    const raw = query instanceof URLSearchParams ? query.get(key) ?? undefined : query[key];
    return raw === undefined || raw === null || raw === '' ? undefined : String(raw);
  };
  const options: MapOptions = { ...kDefaultMapOptions };
  const view = get('view');
  if (view !== undefined) {
    if (view !== 'frequency' && view !== 'performance') {
      throw invalid('view', view, 'write frequency or performance');
    }
    options.view = view;
  }
  const statistic = get('statistic');
  if (statistic !== undefined) {
    if (statistic !== 'median' && statistic !== 'mean') {
      throw invalid('statistic', statistic, 'write median or mean');
    }
    options.statistic = statistic;
  }
  for (const key of ['activityShare', 'pathShare'] as const) {
    const text = get(key);
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw invalid(key, text, 'write a number from 0 to 1 (1 keeps everything)');
    }
    options[key] = value;
  }
  const maxNodes = get('maxNodes');
  if (maxNodes !== undefined) {
    const value = Number(maxNodes);
    if (!Number.isInteger(value) || value < 1 || value > MAX_DRAWN_NODES) {
      throw invalid('maxNodes', maxNodes, `write a whole number from 1 to ${MAX_DRAWN_NODES}`);
    }
    options.maxNodes = value;
  }
  return options;
}

/** Fills partial options with the defaults and checks them as the parser does. */
export function resolveMapOptions(given: Partial<MapOptions> = {}): MapOptions {
  const { activityMask, ...plain } = given;
  const options = parseMapOptions(Object.fromEntries(
    Object.entries(plain).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]),
  ));
  return activityMask === undefined ? options : { ...options, activityMask };
}

function invalid(key: string, value: string, what: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_OPTION_INVALID',
    `map option ${key} is ${quoteValue(value)}; ${what}`, { field: key });
}
