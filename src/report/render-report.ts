/**
 * The report file of `ledgerflow analyze --report`: one self-contained HTML page (inline SVG
 * and CSS, no scripts) with the log's summary, the process map in the frequency and the
 * performance view, KPI cards, variants, aging and bottlenecks.
 */
import { summarizeLog } from '../analysis/log-summary.js';
import { rankBottlenecks } from '../analysis/receivables/bottlenecks.js';
import type { ReceivablesReport } from '../analysis/receivables/index.js';
import type { MineResult } from '../engine/mine-result.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { processMapSvg } from '../map/index.js';
import {
  escapeHtml, formatCount, formatDays, formatDuration, formatPercent, htmlTable,
} from './html.js';
import { agingHtml, kpiCardsHtml } from './kpi-cards.js';
import { REPORT_CSS } from './report-style.js';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Variants listed; default 15. */
  maxVariants?: number;
  /** Bottleneck edges listed per ranking; default 10. */
  maxEdges?: number;
}

/** Renders the HTML report of `log` from one mine of it (and its receivables, when given). */
export async function renderReport(
  log: CompiledLog, mined: MineResult, receivables?: ReceivablesReport,
  options: ReportOptions = {},
): Promise<string> {
  const s = summarizeLog(log, mined);
  const title = `ledgerflow report: ${s.source}`;
  const [frequency, performance] = await Promise.all([
    processMapSvg(log, mined, { view: 'frequency' }),
    processMapSvg(log, mined, { view: 'performance' }),
  ]);
  const sections: string[] = [];
  sections.push(`<h1>${escapeHtml(title)}</h1>`,
    `<p class="sub">${escapeHtml(s.format)} · ${escapeHtml(s.timeSpan.start ?? '–')} to ` +
    `${escapeHtml(s.timeSpan.end ?? '–')}</p>`);

  sections.push('<h2>Summary</h2>', `<div class="cards">${[
    card('cases', formatCount(s.cases)), card('events', formatCount(s.events)),
    card('activities', formatCount(s.activities)),
    card('variants', formatCount(mined.variants.length)),
    card('median case duration', formatDuration(s.caseDurations.medianMs)),
    card('mean case duration', formatDuration(s.caseDurations.meanMs)),
    card('p90 case duration', formatDuration(s.caseDurations.p90Ms)),
  ].join('')}</div>`);

  sections.push('<h2>Process map</h2>', '<div class="maps">',
    figure('Frequency: cases per path, events per activity', frequency, 'freq-'),
    figure('Performance: median waiting time per path', performance, 'perf-'), '</div>');

  if (receivables !== undefined) {
    sections.push('<h2>Receivables KPIs</h2>', kpiCardsHtml(receivables),
      '<h2>Aging</h2>', agingHtml(receivables));
  }

  const maxVariants = options.maxVariants ?? 15;
  sections.push(`<h2>Variants (${formatCount(mined.variants.length)} in all)</h2>`,
    htmlTable(['#', 'cases', 'share', 'length', 'activities'],
      s.variants.slice(0, maxVariants).map((v, i) => [i + 1, v.count, formatPercent(v.share),
        v.activities.length, { html: `<div class="seq">${escapeHtml(
          v.activities.join(' → '))}</div>` }])));

  const b = receivables?.bottlenecks ?? rankBottlenecks(log, mined, options.maxEdges ?? 10);
  const row = (e: typeof b.byTotal[number]) => [e.from, e.to, e.count, formatDays(e.totalDays),
    formatDays(e.medianDays), formatDays(e.meanDays)];
  const head = ['from', 'to', 'count', 'total wait', 'median wait', 'mean wait'];
  sections.push('<h2>Bottlenecks</h2>', '<div class="two"><div>',
    htmlTable(head, b.byTotal.map(row), 'Most waiting in total'), '</div><div>',
    htmlTable(head, b.byMedian.map(row), 'Longest typical wait (median)'), '</div></div>');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div>` +
    `<div class="value">${escapeHtml(value)}</div></div>`;
}

// Both maps carry the same element ids; a prefix keeps ids unique within the page.
function figure(caption: string, svg: string, idPrefix: string): string {
  const unique = svg.replace(/ id="/g, ` id="${idPrefix}`);
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption>${unique}</figure>`;
}
