/**
 * Reads the text labels of a Graphviz SVG with estimated boxes, and the activity boxes, so
 * tests can count what a map draws and check that no two labels overlap.
 */

/** One `<text>` element with its estimated box. */
export interface TextBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

// Advance widths of Helvetica in em (its published AFM metrics), by character class; the
// baseline sits about 0.8 em below the top of a line.
const WIDTHS: [RegExp, number][] = [
  [/[ijl]/, 0.222], [/[ .,:;!'|It\/\[\]f]/, 0.278], [/[r()\-]/, 0.333],
  [/[ckvxyzsJ]/, 0.5], [/[FTZ]/, 0.611], [/[ABEKPSVXY&]/, 0.667], [/[w]/, 0.722],
  [/[CDHNRU]/, 0.722], [/[GOQ]/, 0.778], [/[mM]/, 0.833], [/[W]/, 0.944], [/→/, 1],
];

function textWidthEm(text: string): number {
  let em = 0;
  for (const ch of text) em += WIDTHS.find(([re]) => re.test(ch))?.[1] ?? 0.556;
  return em;
}

/** Every text label of an SVG, with boxes in SVG user units. */
export function svgTextBoxes(svg: string): TextBox[] {
  const out: TextBox[] = [];
  const re = /<text\b([^>]*)>([^<]*)<\/text>/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m![1])?.[1];
    const x = Number(attr('x'));
    const y = Number(attr('y'));
    const size = Number(attr('font-size') ?? 14);
    const text = decode(m[2]);
    if (text.trim() === '') continue;
    const width = textWidthEm(text.trim()) * size;
    const anchor = attr('text-anchor') ?? 'start';
    const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    out.push({ text, left, right: left + width, top: y - 0.8 * size, bottom: y + 0.2 * size });
  }
  return out;
}

/** Pairs of labels whose boxes overlap by more than `slack` units each way. */
export function overlappingLabels(boxes: TextBox[], slack = 0.5): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (dx > slack && dy > slack) pairs.push([a.text, b.text]);
    }
  }
  return pairs;
}

/** Names of the activity boxes drawn (ids `act|<name>`). */
export function svgActivityNames(svg: string): string[] {
  const names: string[] = [];
  const re = /<g id="act\|([^"]*)" class="node"/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    names.push(decodeURIComponent(decode(m[1])));
  }
  return names;
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, '\'').replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
