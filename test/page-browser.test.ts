/**
 * The page in real headless Chromium (playwright-core, /usr/bin/chromium) against the real
 * server on 127.0.0.1: upload receipt-wabo.xes.gz, see its map, switch views, move a slider,
 * click a variant and read the key figures. Screenshots go to test-artifacts/.
 *
 * Expected values: receipt has 1,434 cases and 27 activities (data/SOURCES.md); the activity
 * slider at 50 % keeps ceil(0.5 × 27) = 14; its top variant has 713 cases over 6 distinct
 * activities (test/fixtures/map/receipt_variants.py, run by hand).
 *
 * With LEDGERFLOW_DOC_SCREENSHOTS=1 it also writes the README's two road-traffic screenshots
 * to docs/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDefaultEngine } from '../src/engine/default-engine.js';
import { createServer } from '../src/server/index.js';
import { registerWebPage } from '../src/web/index.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts');
const DOCS = path.resolve(import.meta.dirname, '..', 'docs');

function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.LEDGERFLOW_REQUIRE_BROWSER === '1') {
    throw new Error(`${CHROMIUM} is required (LEDGERFLOW_REQUIRE_BROWSER=1) but missing`);
  }
  console.warn(`note: ${CHROMIUM} not found; the browser test is skipped`);
  return false;
}

const run = browserAvailable() && sharedAvailable();

describe.skipIf(!run)('the page in headless Chromium', () => {
  let dataDir: string;
  let profile: string;
  let app: FastifyInstance;
  let url: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lf-browser-data-'));
    profile = await mkdtemp(path.join(os.tmpdir(), 'lf-browser-profile-'));
    await mkdir(ARTIFACTS, { recursive: true });
    app = await createServer({ dataDir, logLevel: false });
    await registerWebPage(app);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
    await closeDefaultEngine();
  });

  const boxes = () => page.locator('#map g.node[id^="act|"]');
  const cardValue = (key: string) => page.locator(`[data-card="${key}"] .value`);
  const mapReady = async (view = 'frequency') => {
    await page.locator(`#map[data-state="ready"][data-view="${view}"] svg`).waitFor();
  };

  it('uploads a log, shows and filters its map, and reads the key figures', async () => {
    await page.goto(`${url}/`);
    await page.setInputFiles('#upload-input', path.join(DATA_DIR, 'receipt-wabo.xes.gz'));
    await mapReady();
    await expect.poll(() => boxes().count()).toBe(27);
    await expect.poll(() => cardValue('cases').textContent()).toBe('1,434');
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-frequency.png'), fullPage: true });

    await page.click('[data-view="performance"]');
    await mapReady('performance');
    // Performance arrows carry waiting times ("3.2 d", "15.0 min"…), not counts.
    const labels = await page.locator('#map g.edge text').allTextContents();
    expect(labels.some((t) => /\d (ms|s|min|h|d)\s*$/.test(t.trim()))).toBe(true);

    await page.locator('#activity-slider').fill('50');
    await expect.poll(() => boxes().count()).toBe(14);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-performance-50.png') });
    await page.locator('#activity-slider').fill('100');
    await expect.poll(() => boxes().count()).toBe(27);

    await page.locator('#variants tr[data-variant]').first().click();
    await expect.poll(() => cardValue('cases').textContent()).toBe('713');
    await expect.poll(() => boxes().count()).toBe(6);
    await expect(page.locator('#filter-chip').isVisible()).resolves.toBe(true);

    // An arrow between two activities shows its waiting-time histogram.
    await page.locator('#map g.edge[id^="path|"]:not([id*="|start"]):not([id$="|end"])')
      .first().click();
    await page.locator('#histogram svg rect.bar').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-variant.png'), fullPage: true });
  }, 120_000);

  it.skipIf(process.env.LEDGERFLOW_DOC_SCREENSHOTS !== '1')(
    'writes the README screenshots of road-traffic fines', async () => {
      await page.goto(`${url}/`);
      await page.setInputFiles('#upload-input', path.join(DATA_DIR, 'roadtraffic-fines.xes.gz'));
      await page.locator('#log-select option', { hasText: 'roadtraffic' }).waitFor({
        state: 'attached', timeout: 90_000 });
      await expect.poll(() => page.locator('#log-select').inputValue(), { timeout: 90_000 })
        .not.toBe('');
      await mapReady();
      await expect.poll(() => cardValue('cases').textContent(), { timeout: 60_000 })
        .toBe('150,370');
      const panel = page.locator('.map-panel');
      await panel.screenshot({ path: path.join(DOCS, 'map-frequency.png') });
      await page.click('[data-view="performance"]');
      await mapReady('performance');
      await panel.screenshot({ path: path.join(DOCS, 'map-performance.png') });
    }, 180_000);
});
