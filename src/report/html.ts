/**
 * Small HTML helpers of the report: escaping, tables and number formats. Everything the report
 * writes from a log (activity names, case ids, attribute values) goes through {@link escapeHtml}.
 * @internal
 */
import { formatCount, formatDuration } from '../cli/format.js';

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A cell: plain text (escaped), or a number shown right-aligned. */
export type Cell = string | number | { html: string };

/** A table with a header row; numbers align right. */
export function htmlTable(header: string[], rows: Cell[][], caption?: string): string {
  const cell = (c: Cell, tag: 'td' | 'th') => typeof c === 'number'
    ? `<${tag} class="num">${formatCount(c)}</${tag}>`
    : typeof c === 'string' ? `<${tag}>${escapeHtml(c)}</${tag}>` : `<${tag}>${c.html}</${tag}>`;
  const head = header.map((h) => cell(h, 'th')).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n');
  const cap = caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`;
  return `<table>${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** A duration in days as text, e.g. "36.9 d"; a dash when unknown. */
export function formatDays(days: number | null): string {
  return days === null ? '–' : `${days.toFixed(1)} d`;
}

/** A share 0..1 as "57.1 %". */
export function formatPercent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}

/** A money amount with two decimals and thousands separators. */
export function formatAmount(amount: number | null): string {
  return amount === null ? '–' : amount.toLocaleString('en-US', {
    minimumFractionDigits: 2, maximumFractionDigits: 2,
  });
}

export { formatCount, formatDuration };
