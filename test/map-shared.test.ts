/**
 * The process map at its default settings over real public logs: every activity is drawn
 * (activity counts from data/SOURCES.md) and no two text labels overlap (label boxes
 * estimated from the SVG text positions and font size).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDefaultEngine } from '../src/engine/default-engine.js';
import { mineLog } from '../src/engine/mine-log.js';
import { importLog } from '../src/ingest/import-log.js';
import { processMapSvg } from '../src/map/index.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';
import { overlappingLabels, svgActivityNames, svgTextBoxes } from './helpers/svg-text.js';

afterAll(() => closeDefaultEngine());

// Activities per SOURCES.md: road traffic 11, receipt 27. BPIC 2012 has 24 names, but
// "W_Wijzigen contractgegevens" has only SCHEDULE events (12), which are not activity
// instances: 23 activities have events (test/fixtures/map/bpic2012_activities.py, run by hand).
const LOGS = [
  { file: 'roadtraffic-fines.xes.gz', activities: 11 },
  { file: 'bpic2012-loan-application.xes.gz', activities: 23 },
  { file: 'receipt-wabo.xes.gz', activities: 27 },
];

describe.skipIf(!sharedAvailable())('process map of public logs at defaults', () => {
  for (const { file, activities } of LOGS) {
    it(`${file}: ${activities} boxes, no overlapping labels in either view`, async () => {
      const log = await importLog(path.join(DATA_DIR, file));
      const mined = await mineLog(log);
      for (const view of ['frequency', 'performance'] as const) {
        const svg = await processMapSvg(log, mined, { view });
        expect(new Set(svgActivityNames(svg)).size).toBe(activities);
        const boxes = svgTextBoxes(svg);
        expect(boxes.length).toBeGreaterThan(activities);
        expect(overlappingLabels(boxes)).toEqual([]);
      }
    }, 120_000);
  }
});
