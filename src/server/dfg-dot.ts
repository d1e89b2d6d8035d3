/**
 * The directly-follows graph as Graphviz DOT text: one box per activity with its event count,
 * a start and an end circle, and edges labelled with their count and median waiting time.
 */
import { formatDuration } from '../cli/format.js';
import type { DfgAnswer } from './mining-answers.js';

/** DOT text of a DFG answer. */
export function dfgToDot(answer: DfgAnswer): string {
  const ids = new Map<string, string>();
  const node = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) ids.set(name, id = `a${ids.size}`);
    return id;
  };
  const maxCount = Math.max(1, ...answer.dfg.edges.map((e) => e.count),
    ...Object.values(answer.startActivities), ...Object.values(answer.endActivities));
  const width = (count: number) => (1 + 4 * (count / maxCount)).toFixed(2);

  const lines = [
    'digraph dfg {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  start [shape=circle, label="", width=0.3, fillcolor="#5cb85c"];',
    '  end [shape=doublecircle, label="", width=0.3, fillcolor="#d9534f"];',
  ];
  for (const [name, count] of Object.entries(answer.activities)) {
    lines.push(`  ${node(name)} [label=${quote(`${name}\n${count}`)}];`);
  }
  for (const [name, count] of Object.entries(answer.startActivities)) {
    lines.push(`  start -> ${node(name)} [label="${count}", penwidth=${width(count)}];`);
  }
  for (const e of answer.dfg.edges) {
    const label = `${e.count}\n${formatDuration(e.medianMs)}`;
    lines.push(`  ${node(e.from)} -> ${node(e.to)} [label=${quote(label)}, ` +
      `penwidth=${width(e.count)}];`);
  }
  for (const [name, count] of Object.entries(answer.endActivities)) {
    lines.push(`  ${node(name)} -> end [label="${count}", penwidth=${width(count)}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// DOT strings: backslash and quote escaped; a newline becomes the centred line break \n.
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
