/**
 * Writes a generated receivables log as gzip-compressed XES, for the ingest benchmark: the
 * generator itself writes CSV and Parquet only. Attributes follow the standard extensions
 * (concept, time, org) with the template's other columns as typed XES attributes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { COL, type EventRow } from '../src/generate/columns.js';
import { LogGenerator } from '../src/generate/generator.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" ' +
  'xmlns="http://www.xes-standard.org/">\n' +
  '<extension name="Concept" prefix="concept"' +
  ' uri="http://www.xes-standard.org/concept.xesext"/>\n' +
  '<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n' +
  '<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>\n';

// Generated names hold no markup characters, but escaping keeps the file valid whatever.
function xml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function trace(rows: EventRow[]): string {
  const first = rows[0];
  let out = `<trace><string key="concept:name" value="${xml(first[COL.invoice])}"/>` +
    `<string key="Customer" value="${xml(first[COL.customer])}"/>` +
    `<float key="Invoice Amount" value="${first[COL.invoiceAmount]}"/>` +
    `<string key="Currency" value="${first[COL.currency]}"/>` +
    `<date key="Due Date" value="${new Date(first[COL.dueDate]).toISOString()}"/>` +
    `<string key="Region" value="${xml(first[COL.region])}"/>` +
    `<string key="Segment" value="${xml(first[COL.segment])}"/>\n`;
  for (const row of rows) {
    out += `<event><string key="concept:name" value="${xml(row[COL.activity])}"/>` +
      `<date key="time:timestamp" value="${new Date(row[COL.timestamp]).toISOString()}"/>`;
    const agent = row[COL.agent];
    if (agent !== null) out += `<string key="org:resource" value="${xml(agent)}"/>`;
    const automated = row[COL.automated];
    if (automated !== null) out += `<boolean key="Automated" value="${automated}"/>`;
    const paid = row[COL.paymentAmount];
    if (paid !== null) out += `<float key="Payment Amount" value="${paid}"/>`;
    out += '</event>\n';
  }
  return `${out}</trace>\n`;
}

/** Writes `invoices` generated invoices (seed `seed`) to `path` as XES.gz; returns the events. */
export async function writeXesGz(path: string, invoices: number, seed: number): Promise<number> {
  const gzip = createGzip({ level: 6 });
  const done = once(gzip.pipe(createWriteStream(path)), 'finish');
  let events = 0;
  let chunk = HEAD;
  for (const rows of new LogGenerator({ invoices, seed }).invoices()) {
    chunk += trace(rows);
    events += rows.length;
    if (chunk.length > 1 << 20) {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
      chunk = '';
    }
  }
  gzip.end(`${chunk}</log>\n`);
  await done;
  return events;
}
