/**
 * Guesses a CSV file's delimiter among `,` `;` tab and `|` from its first lines.
 *
 * Each candidate is counted per line outside quotes. The winner appears in the header and the
 * same number of times on the most lines; ties go to the candidate seen more often per line,
 * then to the order above (comma first). A file with none of them is one column: comma.
 */

/** The candidates, in tie-break order. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

// Enough lines to see past a header, few enough to stay cheap.
const SAMPLE_LINES = 30;

/** The delimiter `sample` (the start of the file) most likely uses. */
export function detectDelimiter(sample: string): string {
  const counts: number[][] = DELIMITER_CANDIDATES.map(() => []);
  const codes = DELIMITER_CANDIDATES.map((d) => d.charCodeAt(0));
  let current = codes.map(() => 0);
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < SAMPLE_LINES; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
    } else if (!inQuotes && (c === 10 || c === 13)) {
      if (c === 13 && sample.charCodeAt(i + 1) === 10) i++;
      codes.forEach((_, k) => counts[k].push(current[k]));
      lines++;
      current = codes.map(() => 0);
    } else if (!inQuotes) {
      for (let k = 0; k < codes.length; k++) if (c === codes[k]) current[k]++;
    }
  }
  // The last line may be cut off by the sample's end: use it only when it is the only one.
  if (lines === 0) codes.forEach((_, k) => counts[k].push(current[k]));

  let best = 0;
  let bestScore = -1;
  let bestWidth = -1;
  for (let k = 0; k < codes.length; k++) {
    const perLine = counts[k];
    const header = perLine[0];
    if (header === 0) continue;
    const agreeing = perLine.filter((n) => n === header).length;
    if (agreeing > bestScore || (agreeing === bestScore && header > bestWidth)) {
      best = k;
      bestScore = agreeing;
      bestWidth = header;
    }
  }
  return DELIMITER_CANDIDATES[best];
}
