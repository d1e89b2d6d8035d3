/**
 * Plain-text formatting for the CLI: aligned tables, durations and counts people can read.
 */

/** Renders rows as an aligned table; numbers (and cells starting with a digit) align right. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => displayWidth(r[c] ?? ''))));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] ===
    'number' || /^[\d.,]+\s?(%|ms|s|min|h|d)?$/.test(String(r[c]))));
  const line = (r: string[]) => r.map((cell, c) => {
    const pad = ' '.repeat(widths[c] - displayWidth(cell));
    return numeric[c] ? pad + cell : cell + pad;
  }).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** A duration in ms as a short human text: "850 ms", "42 s", "3.5 h", "12.0 d". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${sign}${(abs / 60_000).toFixed(1)} min`;
  if (abs < 86_400_000) return `${sign}${(abs / 3_600_000).toFixed(1)} h`;
  return `${sign}${(abs / 86_400_000).toFixed(1)} d`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A share 0..1 as a percentage with one decimal. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

// East Asian wide characters take two columns in a terminal.
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    width += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ? 2 : 1;
  }
  return width;
}
