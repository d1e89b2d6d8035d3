/**
 * The process map as SVG, laid out by Graphviz compiled to WebAssembly (@viz-js/viz). The
 * Graphviz instance is created on first use and reused: creating one compiles the module.
 */
import { instance, type Viz } from '@viz-js/viz';
import { mineLog } from '../engine/mine-log.js';
import type { MineOptions, MineResult } from '../engine/mine-result.js';
import { LedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { mapGraphDot } from './map-dot.js';
import { buildMapGraph, dropsActivities, selectActivities } from './map-graph.js';
import { resolveMapOptions, type MapOptions } from './map-options.js';

let viz: Promise<Viz> | undefined;

/** The shared Graphviz instance. */
export function graphviz(): Promise<Viz> {
  viz ??= instance();
  return viz;
}

/** Lays out DOT text as an SVG element (no XML prolog, ready to inline in HTML). */
export async function dotToSvg(dot: string): Promise<string> {
  const result = (await graphviz()).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
      `Graphviz could not lay out the process map: ${why}`);
  }
  const at = result.output.indexOf('<svg');
  return at < 0 ? result.output : result.output.slice(at);
}

/**
 * The mine result a map should be drawn from: when the activity slider leaves activities out,
 * the log is mined again with only the kept ones, so their events link directly (a case
 * A → x → B shows A → B once x is hidden). `base` holds the case mask `mined` was made with.
 */
export async function projectForMap(
  log: CompiledLog, mined: MineResult, options: Partial<MapOptions> = {},
  base: MineOptions = {},
): Promise<{ mined: MineResult; options: MapOptions }> {
  const resolved = resolveMapOptions(options);
  const activityMask = resolved.activityMask ?? selectActivities(mined, resolved);
  if (!dropsActivities(mined, activityMask)) {
    return { mined, options: { ...resolved, activityMask } };
  }
  const projected = await mineLog(log, { ...base, activityMask });
  return { mined: projected, options: { ...resolved, activityMask } };
}

/**
 * SVG of the process map of `mined`, with hidden activities linked through (see
 * {@link projectForMap}; `base` is the case mask `mined` was made with).
 */
export async function processMapSvg(
  log: CompiledLog, mined: MineResult, options: Partial<MapOptions> = {},
  base: MineOptions = {},
): Promise<string> {
  const projected = await projectForMap(log, mined, options, base);
  const graph = buildMapGraph(log, projected.mined, projected.options);
  return dotToSvg(mapGraphDot(graph, projected.options));
}
