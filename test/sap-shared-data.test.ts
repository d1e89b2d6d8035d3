/**
 * The SAP IDES VBFA document-flow table of /work/shared/data, as an order-to-cash log.
 *
 * Cases 29,263, events 69,195 and 27 activities are the counts of data/SOURCES.md. The
 * directly-follows counts and the root document were found independently with
 * test/fixtures/sap/vbfa_df.py (Python csv + gzip only), run by hand:
 *   cases 29263 events 69195 activities 27; R→M 6238, J→R 4776, J→Q 2770, M→J 4332;
 *   the flow holding invoice 0090040438 has 7 event documents and root 0000010735.
 * (J = Delivery, R = Goods Movement, M = Invoice, Q = WMS Transfer Order.)
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importLog } from '../src/ingest/import-log.js';
import { attributeValue, type CompiledLog } from '../src/log/compiled-log.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const FILE = 'sap-ides-vbfa-document-flow.csv.gz';

function directlyFollows(log: CompiledLog, from: string, to: string): number {
  const a = log.activities.indexOf(from);
  const b = log.activities.indexOf(to);
  let n = 0;
  for (let c = 0; c < log.caseCount; c++) {
    for (let k = log.offsets[c] + 1; k < log.offsets[c + 1]; k++) {
      if (log.activity[k - 1] === a && log.activity[k] === b) n++;
    }
  }
  return n;
}

describe.skipIf(!sharedAvailable())('SAP VBFA document flow (shared data)', () => {
  it('is detected from its header and gives the counts of SOURCES.md and Python', async () => {
    const log = await importLog(await byteSourceFromFile(path.join(DATA_DIR, FILE)));
    expect(log.info.format).toBe('sap-vbfa');
    expect(log.caseCount).toBe(29_263);
    expect(log.eventCount).toBe(69_195);
    expect(log.activities).toHaveLength(27);

    expect(directlyFollows(log, 'Goods Movement', 'Invoice')).toBe(6_238);
    expect(directlyFollows(log, 'Delivery', 'Goods Movement')).toBe(4_776);
    expect(directlyFollows(log, 'Delivery', 'WMS Transfer Order')).toBe(2_770);
    expect(directlyFollows(log, 'Invoice', 'Delivery')).toBe(4_332);

    const document = log.eventAttributes.get('document');
    let holder = -1;
    for (let k = 0; k < log.eventCount && holder < 0; k++) {
      if (document && attributeValue(document, k) === '0090040438') holder = k;
    }
    const c = log.caseIds.indexOf('0000010735');
    expect(c).toBeGreaterThanOrEqual(0);
    expect(holder >= log.offsets[c] && holder < log.offsets[c + 1]).toBe(true);
    expect(log.offsets[c + 1] - log.offsets[c]).toBe(7);
  });
});
