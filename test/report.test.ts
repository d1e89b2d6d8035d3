/**
 * The HTML report: self-contained, with both maps and the figures of its log.
 *
 * Hand log (test/fixtures/receivables/hand-log.ts, seven invoices A–G), worked out by hand:
 * 7 cases, 32 events (4 + 9 + 6 + 2 + 4 + 5 + 2), 9 activities, 6 variants (A and E share
 * Created → Payment → Cash Applied → Cleared, the top variant with 2 cases = 28.6 %).
 * Mean days to pay over A, B, C, E: (20 + 51 + 46.583 + 30) / 4 = 36.9 d. Aging as of
 * 2024-04-26: D (due 03-31, 26 days) and G (due 04-19, 7 days) open, both 1–30, 1,700.00.
 * Receipt (data/SOURCES.md): 1,434 cases, 8,577 events.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeReceivables } from '../src/analysis/receivables/index.js';
import { closeDefaultEngine } from '../src/engine/default-engine.js';
import { mineLog } from '../src/engine/mine-log.js';
import { importLog } from '../src/ingest/import-log.js';
import { renderReport, writeReport } from '../src/report/index.js';
import { handLog } from './fixtures/receivables/hand-log.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

afterAll(() => closeDefaultEngine());

/** The text of the element with attribute `data-kpi="id"`. */
function kpiText(html: string, id: string): string | undefined {
  return new RegExp(`data-kpi="${id}">([^<]*)<`).exec(html)?.[1];
}

/** Text content of the summary card labelled `label`. */
function cardValue(html: string, label: string): string | undefined {
  return new RegExp(`<div class="label">${label}</div><div class="value">([^<]*)<`)
    .exec(html)?.[1];
}

describe('renderReport', () => {
  it('holds the summary, both maps, KPI cards, variants and aging of the hand log', async () => {
    const log = handLog();
    const mined = await mineLog(log);
    const html = await renderReport(log, mined, computeReceivables(log, mined));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(cardValue(html, 'cases')).toBe('7');
    expect(cardValue(html, 'events')).toBe('32');
    expect(cardValue(html, 'activities')).toBe('9');
    expect(cardValue(html, 'variants')).toBe('6');
    expect(html.match(/<svg/g)).toHaveLength(2);
    // Each map draws the nine activities; the prefixes keep the ids of the two maps apart.
    expect(html.match(/<g id="freq-act\|/g)).toHaveLength(9);
    expect(html.match(/<g id="perf-act\|/g)).toHaveLength(9);
    expect(html).toContain('id="perf-act|Invoice%20Created"');
    expect(kpiText(html, 'days-to-pay')).toBe('36.9 d');
    expect(html).toContain('<h2>Variants (6 in all)</h2>');
    expect(html).toMatch(/<td class="num">2<\/td><td>28\.6 %<\/td>/);
    expect(html).toMatch(/<td>1-30<\/td><td class="num">2<\/td><td><span class="num">1,700\.00/);
  });

  it('leaves the KPI section out without receivables and escapes names', async () => {
    const log = handLog();
    log.activities[0] = 'Invoice <Created> & "sent"';
    const html = await renderReport(log, await mineLog(log));
    expect(html).not.toContain('Receivables KPIs');
    expect(html).toContain('Invoice &lt;Created&gt; &amp; &quot;sent&quot;');
    expect(html).not.toContain('<Created>');
  });
});

describe.skipIf(!sharedAvailable())('writeReport over a public log', () => {
  it('writes receipt-wabo with its SOURCES.md counts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lf-report-'));
    try {
      const log = await importLog(path.join(DATA_DIR, 'receipt-wabo.xes.gz'));
      const file = path.join(dir, 'report.html');
      await writeReport(file, log, await mineLog(log));
      const html = await readFile(file, 'utf8');
      expect(cardValue(html, 'cases')).toBe('1,434');
      expect(cardValue(html, 'events')).toBe('8,577');
      expect(html).not.toContain('Receivables KPIs');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
