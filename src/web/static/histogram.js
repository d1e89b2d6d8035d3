// The waiting-time histogram of one arrow of the map, drawn as a small inline SVG bar chart.
import { count, duration } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
// The server's log-linear buckets are fine (about 2 % wide): merge neighbours into few bars.
const MAX_BARS = 40;

function merge(buckets, bars) {
  if (buckets.length <= bars) return buckets;
  const per = Math.ceil(buckets.length / bars);
  const out = [];
  for (let i = 0; i < buckets.length; i += per) {
    const group = buckets.slice(i, i + per);
    out.push({ lowMs: group[0].lowMs, highMs: group[group.length - 1].highMs,
      count: group.reduce((n, b) => n + b.count, 0) });
  }
  return out;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draws `edge` ({ buckets, count, medianMs, p90Ms, … }) into `box`. */
export function drawHistogram(box, edge) {
  box.replaceChildren();
  const buckets = merge(edge.buckets.filter((b) => b.count > 0), MAX_BARS);
  if (buckets.length === 0) {
    box.textContent = 'No waiting times on this path.';
    return;
  }
  const width = 420;
  const height = 170;
  const pad = { left: 40, right: 8, top: 8, bottom: 34 };
  const max = Math.max(...buckets.map((b) => b.count));
  const barW = (width - pad.left - pad.right) / buckets.length;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'histogram',
    role: 'img', 'aria-label': 'waiting-time histogram' });
  buckets.forEach((b, i) => {
    const h = (height - pad.top - pad.bottom) * b.count / max;
    const x = pad.left + i * barW;
    const bar = svgEl('rect', { x: x + 1, y: height - pad.bottom - h, width: Math.max(1, barW - 2),
      height: h, class: 'bar' });
    bar.append(svgEl('title', {}, `${duration(b.lowMs)} to ${duration(b.highMs)}: ` +
      `${count(b.count)}`));
    svg.append(bar);
  });
  // Axis labels at the first, middle and last bucket: a log scale reads best by its ends.
  const last = buckets.length - 1;
  for (const i of [...new Set([0, Math.floor(buckets.length / 2), last])]) {
    const anchor = i === 0 && last > 0 ? 'start' : i === last && last > 0 ? 'end' : 'middle';
    const x = anchor === 'start' ? pad.left : anchor === 'end' ? width - pad.right
      : pad.left + (i + 0.5) * barW;
    svg.append(svgEl('text', { x, y: height - pad.bottom + 14, 'text-anchor': anchor,
      class: 'axis' }, duration(i === last ? buckets[i].highMs : buckets[i].lowMs)));
  }
  svg.append(svgEl('text', { x: pad.left - 4, y: pad.top + 10, 'text-anchor': 'end',
    class: 'axis' }, count(max)));
  svg.append(svgEl('text', { x: width / 2, y: height - 4, 'text-anchor': 'middle',
    class: 'axis' }, 'waiting time (log scale)'));
  const facts = document.createElement('p');
  facts.className = 'facts';
  facts.textContent = `${count(edge.count)} passages · median ${duration(edge.medianMs)} · ` +
    `mean ${duration(edge.meanMs)} · p90 ${duration(edge.p90Ms)}`;
  box.append(svg, facts);
}
