// The ledgerflow page: choose or upload a log, then the process map with its sliders, key
// figures, variants (click to filter), the waiting time of a clicked arrow, aging and a
// side-by-side comparison of two groups of a case attribute.
import { ApiError, get, upload } from './api.js';
import { amount, count, duration, el, kpiValue } from './format.js';
import { drawHistogram } from './histogram.js';

const $ = (id) => document.getElementById(id);
const state = { logId: '', view: 'frequency', activityShare: 1, pathShare: 0.2, variant: null };
// Each panel keeps the number of its latest request: an older answer arriving late is dropped.
const latest = {};

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

function report(err) {
  if (err?.name === 'AbortError') return;
  status(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err), true);
}

function logPath(tail) {
  return `/logs/${encodeURIComponent(state.logId)}${tail}`;
}

/** The case filters in force, as query parameters. */
function filters(extra = {}) {
  const q = new URLSearchParams();
  if (state.variant !== null) q.set('variant', String(state.variant.index));
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  return q;
}

async function fresh(panel, work) {
  const ticket = (latest[panel] ?? 0) + 1;
  latest[panel] = ticket;
  const result = await work();
  return latest[panel] === ticket ? result : undefined;
}

// ---- logs -------------------------------------------------------------------------------

async function loadLogs(select) {
  const { logs } = await get('/logs');
  const box = $('log-select');
  box.replaceChildren(...logs.map((l) => el('option', {
    value: l.id, disabled: l.status !== 'ready',
  }, l.status === 'ready' ? `${l.name} (${count(l.cases)} cases)` : `${l.name} (${l.status})`)));
  if (logs.length === 0) box.append(el('option', { value: '' }, '(no log yet)'));
  const ready = logs.filter((l) => l.status === 'ready');
  const choice = select ?? (ready.some((l) => l.id === state.logId) ? state.logId
    : ready[0]?.id ?? '');
  box.value = choice;
  if (choice !== state.logId || select !== undefined) await chooseLog(choice);
}

async function chooseLog(id) {
  state.logId = id;
  state.variant = null;
  if (id === '') return;
  await Promise.all([loadMap(), loadCards(), loadVariants(), loadAging(), loadAttributes()])
    .catch(report);
  $('histogram').replaceChildren();
  $('histogram-title').textContent = '(click an arrow of the map)';
}

async function onUpload(file) {
  const bar = $('upload-progress');
  bar.hidden = false;
  bar.value = 0;
  status(`Uploading ${file.name}…`);
  try {
    const { status: code, record } = await upload(file, (share) => {
      bar.value = share * 0.5;
    });
    let current = record;
    // 202: the import runs in the background; its record reports the share read.
    while (code === 202 && current.status === 'importing') {
      bar.value = 0.5 + 0.5 * (current.progress ?? 0);
      status(`Importing ${file.name}: ${Math.round(100 * (current.progress ?? 0))} %`);
      await new Promise((r) => setTimeout(r, 500));
      current = await get(`/logs/${encodeURIComponent(current.id)}`);
    }
    if (current.status === 'failed') throw new ApiError(400, current.error?.code ?? 'FAILED',
      current.error?.message ?? 'the import failed');
    bar.value = 1;
    status(`${current.name}: ${count(current.cases)} cases, ${count(current.events)} events`);
    await loadLogs(current.id);
  } catch (err) {
    report(err);
  } finally {
    bar.hidden = true;
  }
}

// ---- map --------------------------------------------------------------------------------

async function loadMap() {
  const box = $('map');
  box.dataset.state = 'loading';
  const q = filters({ view: state.view, activityShare: state.activityShare,
    pathShare: state.pathShare });
  const svg = await fresh('map', () => get(logPath(`/dfg.svg?${q}`), 'text'));
  if (svg === undefined) return;
  // The SVG is Graphviz's output for names the server escaped; no script can be in it.
  box.innerHTML = svg;
  box.dataset.state = 'ready';
  box.dataset.view = state.view;
}

function setView(view) {
  state.view = view;
  for (const b of document.querySelectorAll('[data-view]')) {
    b.setAttribute('aria-pressed', String(b.dataset.view === view));
  }
  loadMap().catch(report);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const reloadMap = debounce(() => loadMap().catch(report), 150);

function onSlider(input, output, key) {
  output.textContent = `${input.value} %`;
  state[key] = Number(input.value) / 100;
  reloadMap();
}

async function onMapClick(event) {
  const edge = event.target.closest('g.edge');
  if (edge === null || !edge.id.startsWith('path|')) return;
  const [, from, to] = edge.id.split('|').map(decodeURIComponent);
  if (from === 'start' || to === 'end') return;
  $('histogram-title').textContent = `${from} → ${to}`;
  const answer = await fresh('histogram', () => get(logPath(`/histograms?${filters()}`)));
  if (answer === undefined) return;
  const found = answer.edges.find((e) => e.from === from && e.to === to);
  if (found) drawHistogram($('histogram'), found);
  else $('histogram').textContent = 'This path has no waiting times.';
}

// ---- key figures, variants, aging -------------------------------------------------------

function card(label, value, title, key) {
  return el('div', { class: 'card', title, 'data-card': key ?? label },
    el('div', { class: 'label' }, label), el('div', { class: 'value' }, value));
}

async function figures(query) {
  const [dfg, hist] = await Promise.all([get(logPath(`/dfg?${query}`)),
    get(logPath(`/histograms?${query}`))]);
  return [
    card('cases', count(dfg.cases)), card('events', count(dfg.events)),
    card('activities', count(Object.keys(dfg.activities).length)),
    card('median case duration', duration(hist.caseDurations.medianMs), undefined,
      'median-case-duration'),
  ];
}

async function loadCards() {
  const cards = await fresh('cards', async () => {
    const [basic, kpis] = await Promise.all([figures(filters()),
      get(logPath('/kpis')).catch(() => null)]);
    const extra = (kpis?.kpis ?? []).filter((k) => k.value !== null).map((k) =>
      card(k.id.replace(/-/g, ' '), kpiValue(k), k.definition, k.id));
    return [...basic, ...extra];
  });
  if (cards !== undefined) $('cards').replaceChildren(...cards);
}

async function loadVariants() {
  const answer = await fresh('variants', () => get(logPath('/variants?limit=25')));
  if (answer === undefined) return;
  const rows = answer.variants.map((v, i) => el('tr', {
    'data-variant': v.index, class: state.variant?.index === v.index ? 'selected' : undefined,
    title: v.activities.join(' → '),
    onclick: () => chooseVariant(v, i),
  }, el('td', { class: 'num' }, String(i + 1)), el('td', { class: 'num' }, count(v.count)),
  el('td', { class: 'num' }, `${(v.share * 100).toFixed(1)} %`),
  el('td', { class: 'seq' }, v.activities.join(' → '))));
  $('variants').replaceChildren(el('thead', {}, el('tr', {}, el('th', {}, '#'),
    el('th', {}, 'cases'), el('th', {}, 'share'), el('th', {}, 'activities'))),
  el('tbody', {}, rows));
}

function chooseVariant(v, rank) {
  state.variant = state.variant?.index === v.index ? null : { index: v.index, rank };
  const chip = $('filter-chip');
  chip.hidden = state.variant === null;
  chip.textContent = state.variant === null ? '' : `variant #${rank + 1} only ✕`;
  for (const row of $('variants').querySelectorAll('tr[data-variant]')) {
    row.classList.toggle('selected', Number(row.dataset.variant) === state.variant?.index);
  }
  Promise.all([loadMap(), loadCards()]).catch(report);
}

async function loadAging() {
  const answer = await fresh('aging', () => get(logPath('/aging')).catch(() => null));
  if (answer === undefined) return;
  const box = $('aging');
  const aging = answer?.aging;
  if (!aging || aging.buckets.every((b) => b.label === 'no due date' || b.invoices === 0)) {
    box.replaceChildren(el('p', { class: 'hint' },
      'No due dates in this log, so there is no aging.'));
    return;
  }
  box.replaceChildren(el('table', {}, el('caption', {},
    `${count(aging.openInvoices)} open invoices as of ${aging.asOf.slice(0, 10)}`),
  el('thead', {}, el('tr', {}, el('th', {}, 'days past due'), el('th', {}, 'invoices'),
    el('th', {}, 'open amount'))),
  el('tbody', {}, aging.buckets.map((b) => el('tr', {}, el('td', {}, b.label),
    el('td', { class: 'num' }, count(b.invoices)), el('td', { class: 'num' },
      amount(b.amount)))))));
}

// ---- compare two groups -----------------------------------------------------------------

let attributes = [];

async function loadAttributes() {
  const answer = await get(logPath('/attributes')).catch(() => ({ attributes: [] }));
  attributes = answer.attributes.filter((a) => a.values.length >= 2);
  $('group-by').replaceChildren(el('option', { value: '' }, '(choose an attribute)'),
    ...attributes.map((a) => el('option', { value: a.name }, a.name)));
  $('group-a').replaceChildren();
  $('group-b').replaceChildren();
  $('compare').replaceChildren();
}

function onGroupBy() {
  const attr = attributes.find((a) => a.name === $('group-by').value);
  const options = (attr?.values ?? []).map((v) =>
    el('option', { value: v.value }, `${v.value} (${count(v.cases)})`));
  $('group-a').replaceChildren(...options.map((o) => o.cloneNode(true)));
  $('group-b').replaceChildren(...options);
  if (attr) $('group-b').selectedIndex = 1;
  compare().catch(report);
}

async function compare() {
  const name = $('group-by').value;
  if (name === '') return;
  const groups = [$('group-a').value, $('group-b').value];
  const columns = await fresh('compare', () => Promise.all(groups.map(async (value) => {
    const q = new URLSearchParams({ [`attr.${name}`]: value });
    const [basic, svg] = await Promise.all([figures(q),
      get(logPath(`/dfg.svg?${new URLSearchParams({ ...Object.fromEntries(q),
        view: state.view, activityShare: state.activityShare, pathShare: state.pathShare })}`),
      'text')]);
    const kpis = await get(logPath(`/kpis?by=${encodeURIComponent(name)}`)).catch(() => null);
    const group = kpis?.by?.groups.find((g) => g.label === value);
    const extra = (group?.kpis ?? []).filter((k) => k.value !== null)
      .map((k) => card(k.id.replace(/-/g, ' '), kpiValue(k), k.definition, k.id));
    const map = el('div', { class: 'map small' });
    map.innerHTML = svg;
    return el('div', { class: 'column' }, el('h3', {}, `${name} = ${value}`),
      el('div', { class: 'cards' }, basic, extra), map);
  })));
  if (columns !== undefined) $('compare').replaceChildren(...columns);
}

// ---- wiring -----------------------------------------------------------------------------

function start() {
  $('log-select').addEventListener('change', (e) => chooseLog(e.target.value).catch(report));
  $('upload-input').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    if (file) onUpload(file);
    e.target.value = '';
  });
  for (const b of document.querySelectorAll('[data-view]')) {
    b.addEventListener('click', () => setView(b.dataset.view));
  }
  const a = $('activity-slider');
  const p = $('path-slider');
  a.addEventListener('input', () => onSlider(a, $('activity-value'), 'activityShare'));
  p.addEventListener('input', () => onSlider(p, $('path-value'), 'pathShare'));
  $('filter-chip').addEventListener('click', () => {
    if (state.variant !== null) chooseVariant({ index: state.variant.index }, 0);
  });
  $('map').addEventListener('click', (e) => onMapClick(e).catch(report));
  $('group-by').addEventListener('change', onGroupBy);
  $('group-a').addEventListener('change', () => compare().catch(report));
  $('group-b').addEventListener('change', () => compare().catch(report));
  loadLogs().catch(report);
}

start();
