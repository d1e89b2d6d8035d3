/**
 * The process map as Graphviz DOT text: boxes for activities, a green start and a red end
 * circle, and arrows labelled with their count (frequency view) or their median or mean
 * waiting time (performance view). Pen width follows the number shown; in the performance view
 * the arrow colour goes from grey (short) to dark red (the longest wait drawn).
 *
 * Element ids carry the names (URI-encoded) so a page can tell which box or arrow was clicked:
 * `act|<name>` for boxes, `path|<from>|<to>` for arrows, with `start` / `end` for the circles.
 */
import { formatCount, formatDuration } from '../cli/format.js';
import { END, START, type DfgEdge, type MineResult } from '../engine/mine-result.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { buildMapGraph, type MapGraph } from './map-graph.js';
import { resolveMapOptions, type MapOptions } from './map-options.js';

/** DOT text of the process map of `mined` (see {@link MapOptions} for the sliders). */
export function processMapDot(
  log: CompiledLog, mined: MineResult, options: Partial<MapOptions> = {},
): string {
  const resolved = resolveMapOptions(options);
  return mapGraphDot(buildMapGraph(log, mined, resolved), resolved);
}

/** DOT text of an already filtered map graph. */
export function mapGraphDot(graph: MapGraph, options: MapOptions): string {
  const name = new Map(graph.nodes.map((n) => [n.code, n.name]));
  const nodeId = (code: number) => code === START ? 'start' : code === END ? 'end'
    : `a${code}`;
  const maxCount = Math.max(1, ...graph.nodes.map((n) => n.count));
  const lines = [
    'digraph process_map {',
    '  graph [rankdir=TB, nodesep=0.4, ranksep=0.5, bgcolor="transparent", ' +
      'fontname="Helvetica", fontsize=11, labelloc=b];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, ' +
      'margin="0.15,0.06", color="#5b6f8f"];',
    '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.7];',
    '  start [id="start", shape=circle, label="", width=0.28, fixedsize=true, ' +
      'fillcolor="#3c9a5f", color="#2a6e43", tooltip="start"];',
    '  end [id="end", shape=doublecircle, label="", width=0.24, fixedsize=true, ' +
      'fillcolor="#c0392b", color="#8e2a1f", tooltip="end"];',
  ];
  for (const n of graph.nodes) {
    const shade = n.count / maxCount;
    const second = options.view === 'performance' && n.processing !== null
      ? formatDuration(pick(n.processing, options)) : formatCount(n.count);
    lines.push(`  ${nodeId(n.code)} [id=${quote(`act|${encodeURIComponent(n.name)}`)}, ` +
      `label=${quote(`${wrap(n.name)}\n${second}`)}, fillcolor="${blue(shade)}", ` +
      `fontcolor="${shade > 0.6 ? '#ffffff' : '#1b2430'}"];`);
  }

  const drawn = graph.edges.filter((e) => e.from >= 0 && e.to >= 0);
  const maxEdgeCount = Math.max(1, ...graph.edges.map((e) => e.count));
  const waits = drawn.map((e) => pick(e.waiting, options) ?? 0);
  const maxWait = Math.max(1, ...waits);
  for (const e of graph.edges) {
    const ends = [e.from, e.to].map((c) => c === START ? 'start' : c === END ? 'end'
      : encodeURIComponent(name.get(c) ?? String(c)));
    const attrs = [`id=${quote(`path|${ends[0]}|${ends[1]}`)}`];
    const artificial = e.from < 0 || e.to < 0;
    if (options.view === 'frequency') {
      attrs.push(`label=${quote(` ${formatCount(e.count)} `)}`,
        `penwidth=${(1 + 5 * e.count / maxEdgeCount).toFixed(2)}`,
        `color="${artificial ? '#8a9bb5' : '#3d5a80'}"`);
    } else if (artificial) {
      attrs.push('style=dashed', 'color="#a0a8b4"', 'penwidth=1');
    } else {
      const wait = pick(e.waiting, options) ?? 0;
      // A square root spreads the colours: a log scale painted every wait of days alike.
      const heat = Math.sqrt(Math.max(0, wait) / maxWait);
      attrs.push(`label=${quote(` ${formatDuration(pick(e.waiting, options))} `)}`,
        `penwidth=${(1 + 5 * heat).toFixed(2)}`, `color="${red(heat)}"`,
        `fontcolor="${heat > 0.5 ? '#8e2a1f' : '#333333'}"`);
    }
    attrs.push(`tooltip=${quote(tooltip(e, name, options))}`);
    lines.push(`  ${nodeId(e.from)} -> ${nodeId(e.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// Long activity names (receipt's "T09-3 Process or receive external advice from party 3")
// would make very wide boxes that push the layout apart: break them at spaces.
const WRAP_AT = 26;

function wrap(name: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of name.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WRAP_AT) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function pick(d: { medianMs: number | null; meanMs: number | null }, o: MapOptions) {
  return o.statistic === 'mean' ? d.meanMs : d.medianMs;
}

function tooltip(e: DfgEdge, name: Map<number, string>, o: MapOptions): string {
  const label = (c: number) => c === START ? 'start' : c === END ? 'end' : name.get(c) ?? '';
  const head = `${label(e.from)} → ${label(e.to)}: ${formatCount(e.count)} cases`;
  if (e.waiting.count === 0) return head;
  return `${head}, ${o.statistic} wait ${formatDuration(pick(e.waiting, o))}`;
}

// Light to deep blue as the share of the busiest activity grows.
function blue(shade: number): string {
  return mix([238, 243, 251], [44, 82, 140], shade);
}

// Grey to dark red as the wait grows towards the longest drawn.
function red(heat: number): string {
  return mix([150, 160, 172], [170, 30, 20], heat);
}

function mix(from: number[], to: number[], t: number): string {
  const k = Math.min(1, Math.max(0, t));
  return `#${from.map((f, i) => Math.round(f + (to[i] - f) * k).toString(16).padStart(2, '0'))
    .join('')}`;
}

// DOT strings: backslash and quote escaped; a newline becomes the centred line break \n.
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
