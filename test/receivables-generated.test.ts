/**
 * The planted rates of the synthetic generator are recovered per segment.
 *
 * The generator draws each rate with a known probability p per segment (src/generate/
 * profiles.ts). Measured over n independent draws, the estimate has standard error
 * sqrt(p(1−p)/n); the test allows 4 standard errors, so a correct analysis fails it with
 * probability about 6 in 100,000 per comparison (and, the seed being fixed, never flakes).
 * n is the KPI's own denominator: invoices for per-invoice rates, events for the cash
 * application rate and promises for the promise-kept rate.
 */
import { describe, expect, it } from 'vitest';
import { computeReceivables } from '../src/analysis/receivables/index.js';
import { mineReference } from '../src/engine/reference.js';
import { PLANTED_RATES, RATE_IDS, SEGMENTS } from '../src/generate/profiles.js';
import { generateLog } from '../src/generate/to-log.js';

// Numerator and denominator of each KPI are not in the result; the denominators are recovered
// by counting here, independently of the analysis code, from the compiled log itself.
describe('planted rates of a generated log', () => {
  const log = generateLog({ invoices: 20_000, seed: 20240601 });
  const report = computeReceivables(log, mineReference(log), { by: 'segment' });

  it.each(SEGMENTS)('are recovered for %s within 4 standard errors', (segment) => {
    const kpis = report.by!.groups.find((g) => g.label === segment)!.kpis;
    const denominators = countDenominators(segment);
    for (const id of RATE_IDS) {
      const k = kpis.find((x) => x.id === id)!;
      const p = PLANTED_RATES[segment][id];
      const n = denominators[id] ?? k.casesUsed;
      const tolerance = 4 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(k.value! - p), `${segment} ${id}: ${k.value} vs ${p}, n ${n}`)
        .toBeLessThanOrEqual(tolerance);
    }
  });

  function countDenominators(segment: string): Record<string, number> {
    const seg = log.caseAttributes.get('Segment');
    if (seg?.kind !== 'string') throw new Error('Segment is not a string column');
    const code = seg.dictionary.indexOf(segment);
    const cashApplied = log.activities.indexOf('Cash Applied');
    const promise = log.activities.indexOf('Promise To Pay');
    const cleared = log.activities.indexOf('Invoice Cleared');
    let events = 0;
    let promises = 0;
    for (let c = 0; c < log.caseCount; c++) {
      if (seg.codes[c] !== code) continue;
      let casePromises = 0;
      let isCleared = false;
      for (let k = log.offsets[c]; k < log.offsets[c + 1]; k++) {
        if (log.activity[k] === cashApplied) events++;
        if (log.activity[k] === promise) casePromises++;
        if (log.activity[k] === cleared) isCleared = true;
      }
      if (isCleared) promises += casePromises;
    }
    return { 'cash-app-automation-rate': events, 'promise-kept-rate': promises };
  }
});
