/**
 * The process map's sliders on a small log worked out by hand, the drawn SVG, and the option
 * parser.
 *
 * The log (activities a0 = A, a1 = B, a2 = C, a3 = D): 5 × A B D, 3 × A C D, 1 × A B C D.
 * By hand: counts A 9, B 6, C 4, D 9; edges START→A 9, D→END 9, A→B 6, B→D 5, C→D 4,
 * A→C 3, B→C 1 (that order: count, then codes, START = -1 first).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDefaultEngine } from '../src/engine/default-engine.js';
import { mineLog } from '../src/engine/mine-log.js';
import {
  buildMapGraph, keptCount, parseMapOptions, processMapDot, processMapSvg, projectForMap,
  resolveMapOptions, selectActivities,
} from '../src/map/index.js';
import { isLedgerflowError } from '../src/errors.js';
import { compiledLogFrom } from './helpers/random-compiled-log.js';
import { overlappingLabels, svgActivityNames, svgTextBoxes } from './helpers/svg-text.js';

const HOUR = 3_600_000;
const trace = (acts: number[]) => acts.map((act) => ({ act, gap: HOUR, dur: 0 }));
const small = compiledLogFrom(4, [
  ...Array.from({ length: 5 }, () => trace([0, 1, 3])),
  ...Array.from({ length: 3 }, () => trace([0, 2, 3])),
  trace([0, 1, 2, 3]),
], false);

afterAll(() => closeDefaultEngine());

/** The edges of DOT text as `from>to` with START / END written as start / end. */
function dotEdges(dot: string): string[] {
  const names: Record<string, string> = { start: 'start', end: 'end' };
  for (const m of dot.matchAll(/^ {2}(a\d+) \[id="act\|([^"]*)"/gm)) names[m[1]] = m[2];
  return [...dot.matchAll(/^ {2}(\w+) -> (\w+) \[/gm)].map((m) => `${names[m[1]]}>${names[m[2]]}`)
    .sort();
}

describe('activity slider', () => {
  it('keeps the most frequent share, ties by code, at least one, within the cap', async () => {
    const mined = await mineLog(small);
    const kept = (share: number, maxNodes = 40) =>
      [...selectActivities(mined, { activityShare: share, maxNodes })]
        .flatMap((k, code) => (k ? [small.activities[code]] : []));
    expect(kept(1)).toEqual(['a0', 'a1', 'a2', 'a3']);
    // 0.5 × 4 = 2: A and D (9 each), B (6) out.
    expect(kept(0.5)).toEqual(['a0', 'a3']);
    expect(kept(0.75)).toEqual(['a0', 'a1', 'a3']);
    expect(kept(0)).toEqual(['a0']);
    expect(kept(1, 1)).toEqual(['a0']);
    expect(keptCount(0.3, 10)).toBe(3);
  });

  it('links the kept activities through the hidden ones', async () => {
    const mined = await mineLog(small);
    // Hiding C: traces become 5 × ABD, 3 × AD, 1 × ABD, so A→B 6, B→D 6, A→D 3.
    const p = await projectForMap(small, mined, { activityShare: 0.75, pathShare: 1 });
    expect(dotEdges(processMapDot(small, p.mined, p.options))).toEqual(
      ['a0>a1', 'a0>a3', 'a1>a3', 'a3>end', 'start>a0']);
    const edge = p.mined.edges.find((e) => e.from === 0 && e.to === 3);
    expect(edge?.count).toBe(3);
  });
});

describe('path slider', () => {
  it('draws every edge at 100 %', async () => {
    const dot = processMapDot(small, await mineLog(small), { pathShare: 1 });
    expect(dotEdges(dot)).toEqual(['a0>a1', 'a0>a2', 'a1>a2', 'a1>a3', 'a2>a3', 'a3>end',
      'start>a0']);
  });

  it('at 0 % keeps the most frequent edges that connect every activity', async () => {
    // By hand: START→A kept (1 edge); forward adds A→B, B→D, A→C; backward D→END, C→D.
    const graph = buildMapGraph(small, await mineLog(small),
      resolveMapOptions({ pathShare: 0 }));
    expect(graph.hiddenEdges).toBe(1);
    expect(dotEdges(processMapDot(small, await mineLog(small), { pathShare: 0 }))).toEqual(
      ['a0>a1', 'a0>a2', 'a1>a3', 'a2>a3', 'a3>end', 'start>a0']);
  });
});

describe('views', () => {
  it('writes counts in the frequency view and waiting times in the performance view',
    async () => {
      const mined = await mineLog(small);
      const freq = processMapDot(small, mined, { pathShare: 1 });
      // A→B: 6 cases (by hand); A is drawn with its 9 events.
      expect(freq).toMatch(/a0 -> a1 \[id="path\|a0\|a1", label=" 6 "/);
      expect(freq).toContain('label="a0\\n9"');
      const perf = processMapDot(small, mined, { pathShare: 1, view: 'performance' });
      // Every gap in the log is one hour.
      expect(perf).toMatch(/a0 -> a1 \[id="path\|a0\|a1", label=" 1\.0 h "/);
      expect(perf).toMatch(/start -> a0 \[[^\]]*style=dashed/);
    });

  it('lays out an SVG with one box per kept activity and the start and end', async () => {
    const svg = await processMapSvg(small, await mineLog(small), { activityShare: 0.5 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svgActivityNames(svg).sort()).toEqual(['a0', 'a3']);
    expect(svg).toContain('<g id="start" class="node"');
    expect(svg).toContain('<g id="end" class="node"');
    // Projected on A and D, every case is A D: 9 on the only real arrow.
    expect(svgTextBoxes(svg).map((b) => b.text.trim())).toContain('9');
  });

  it('caps a log of 300 activities at 40 boxes by default', async () => {
    // 600 cases, each three activities chosen by a fixed rule over 300 codes.
    const cases = Array.from({ length: 600 }, (_, c) => trace([c % 300, (c * 7) % 300,
      (c * 13 + 1) % 300]));
    const big = compiledLogFrom(300, cases, false);
    const svg = await processMapSvg(big, await mineLog(big));
    expect(svgActivityNames(svg)).toHaveLength(40);
  });
});

describe('label overlap check', () => {
  it('finds two labels drawn on top of each other and passes ones side by side', () => {
    // 11 pt "Send Fine" is about 47 units wide (Helvetica metrics): x 100 and 120 overlap,
    // x 100 and 160 do not.
    const text = (x: number) => `<text text-anchor="middle" x="${x}" y="50" ` +
      `font-size="11.00">Send Fine</text>`;
    expect(overlappingLabels(svgTextBoxes(`<svg>${text(100)}${text(120)}</svg>`)))
      .toHaveLength(1);
    expect(overlappingLabels(svgTextBoxes(`<svg>${text(100)}${text(160)}</svg>`)))
      .toHaveLength(0);
  });
});

describe('parseMapOptions', () => {
  it('reads query strings and fills defaults', () => {
    const o = parseMapOptions(new URLSearchParams('view=performance&pathShare=0.5&x=1'));
    expect(o).toEqual({ view: 'performance', statistic: 'median', activityShare: 1,
      pathShare: 0.5, maxNodes: 40 });
    expect(parseMapOptions({ statistic: 'mean', maxNodes: '12' }).maxNodes).toBe(12);
  });

  it.each([
    ['view', 'heat'], ['activityShare', '1.5'], ['pathShare', 'abc'], ['maxNodes', '0'],
    ['statistic', 'p90'],
  ])('rejects %s=%s naming the option', (key, value) => {
    try {
      parseMapOptions({ [key]: value });
      expect.unreachable();
    } catch (err) {
      expect(isLedgerflowError(err, 'LF_ERR_OPTION_INVALID')).toBe(true);
      expect((err as Error).message).toContain(key);
      expect((err as Error).message).toContain(value);
    }
  });
});
