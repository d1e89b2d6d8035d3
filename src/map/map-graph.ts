/**
 * The process map as a graph, before drawing: which activities and which directly-follows
 * paths the two sliders keep.
 *
 * Activities: the most frequent `activityShare` of those with events (at least one, at most
 * `maxNodes`), ties broken by activity code. Paths: the most frequent `pathShare` of the edges
 * among kept activities and the artificial start and end (in the mine result's order: count
 * descending, then codes), then, so that no kept activity floats loose, the most frequent edge
 * that reaches a not-yet-reached activity from start is added until every activity is reached,
 * and likewise backwards from the end. That is a greedy spanning tree each way over the most
 * frequent paths, so path 0 % draws a tree-like skeleton and 100 % draws every edge.
 */
import { END, START, type DfgEdge, type DurationSummary, type MineResult } from
  '../engine/mine-result.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { MapOptions } from './map-options.js';

/** One drawn activity. */
export interface MapNode {
  code: number;
  name: string;
  /** Events of the activity in the mined cases. */
  count: number;
  /** End − start of its events, when the log has intervals. */
  processing: DurationSummary | null;
}

/** The kept part of a mined directly-follows graph. */
export interface MapGraph {
  /** Most frequent first. */
  nodes: MapNode[];
  /** Kept edges incl. START → a and a → END, in the mine result's order. */
  edges: DfgEdge[];
  /** Activities with events that the activity slider or the cap left out. */
  hiddenActivities: number;
  /** Edges among kept activities (and start / end) that the path slider left out. */
  hiddenEdges: number;
  cases: number;
}

// Shares times counts are rounded up, but 0.3 × 10 must give 3, not 4.
const EPSILON = 1e-9;

/** The number of items a share keeps out of `n` (at least one when `n` > 0). */
export function keptCount(share: number, n: number): number {
  if (n === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(share * n - EPSILON)));
}

/**
 * The activities the activity slider keeps (non-zero = kept), as an activity mask for
 * `mineLog`: mining with it links the kept events of a case directly, as Disco does.
 */
export function selectActivities(
  mined: MineResult, options: Pick<MapOptions, 'activityShare' | 'maxNodes'>,
): Uint8Array {
  const counts = mined.activityCounts;
  const active: number[] = [];
  counts.forEach((count, code) => {
    if (count > 0) active.push(code);
  });
  active.sort((a, b) => counts[b] - counts[a] || a - b);
  const mask = new Uint8Array(counts.length);
  const keep = Math.min(options.maxNodes, keptCount(options.activityShare, active.length));
  for (let i = 0; i < keep; i++) mask[active[i]] = 1;
  return mask;
}

/** True when the mask leaves out some activity that has events in `mined`. */
export function dropsActivities(mined: MineResult, mask: Uint8Array): boolean {
  return mined.activityCounts.some((count, code) => count > 0 && mask[code] === 0);
}

/** Applies both sliders to a mine result. */
export function buildMapGraph(
  log: CompiledLog, mined: MineResult, options: MapOptions,
): MapGraph {
  const mask = options.activityMask ?? selectActivities(mined, options);
  const counts = mined.activityCounts;
  const nodes: MapNode[] = [];
  let hiddenActivities = 0;
  counts.forEach((count, code) => {
    if (count === 0) return;
    if (mask[code] === 0) {
      hiddenActivities++;
      return;
    }
    nodes.push({
      code, name: log.activities[code], count,
      processing: mined.processingTimes?.[code] ?? null,
    });
  });
  nodes.sort((a, b) => b.count - a.count || a.code - b.code);

  const isKept = (code: number) => code === START || code === END ||
    (code >= 0 && mask[code] !== 0 && counts[code] > 0);
  const candidates = mined.edges.filter((e) => isKept(e.from) && isKept(e.to) &&
    !(e.from === START && e.to === END));
  const kept = new Uint8Array(candidates.length);
  const first = keptCount(options.pathShare, candidates.length);
  for (let i = 0; i < first; i++) kept[i] = 1;

  const codes = nodes.map((n) => n.code);
  connect(candidates, kept, codes, START, (e) => e.from, (e) => e.to);
  connect(candidates, kept, codes, END, (e) => e.to, (e) => e.from);

  const edges = candidates.filter((_, i) => kept[i] === 1);
  return {
    nodes,
    edges,
    hiddenActivities,
    hiddenEdges: candidates.length - edges.length,
    cases: mined.caseCount,
  };
}

/**
 * Adds edges until every node is reached from `root` along `tail → head`: each round takes the
 * most frequent candidate (the first in order) from a reached node to an unreached one.
 */
function connect(
  candidates: DfgEdge[], kept: Uint8Array, nodes: number[], root: number,
  tail: (e: DfgEdge) => number, head: (e: DfgEdge) => number,
): void {
  const reached = new Set<number>([root]);
  const spread = () => {
    let grew = true;
    while (grew) {
      grew = false;
      candidates.forEach((e, i) => {
        if (kept[i] === 1 && reached.has(tail(e)) && !reached.has(head(e))) {
          reached.add(head(e));
          grew = true;
        }
      });
    }
  };
  spread();
  while (nodes.some((n) => !reached.has(n))) {
    const next = candidates.findIndex((e, i) => kept[i] === 0 && reached.has(tail(e)) &&
      !reached.has(head(e)) && head(e) !== START && head(e) !== END);
    // Without projection an activity may have lost every path to the kept ones: leave it.
    if (next < 0) return;
    kept[next] = 1;
    spread();
  }
}
