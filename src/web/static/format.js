// Number and duration formats of the page (the same forms as the CLI and the report).

/** A count with thousands separators. */
export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

/** A duration in ms as "850 ms", "42.0 s", "3.5 h", "12.0 d". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${sign}${(abs / 60_000).toFixed(1)} min`;
  if (abs < 86_400_000) return `${sign}${(abs / 3_600_000).toFixed(1)} h`;
  return `${sign}${(abs / 86_400_000).toFixed(1)} d`;
}

/** A KPI value in its unit. */
export function kpiValue(kpi) {
  if (kpi === undefined || kpi.value === null) return '–';
  switch (kpi.unit) {
    case 'days': return `${kpi.value.toFixed(1)} d`;
    case 'share': return `${(kpi.value * 100).toFixed(1)} %`;
    case 'amount': return amount(kpi.value);
    default: return kpi.value.toFixed(2);
  }
}

/** A money amount with two decimals. */
export function amount(x) {
  return x === null || x === undefined ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Builds an element: el('td', { class: 'num' }, 'text', child…). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}
