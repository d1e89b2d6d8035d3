import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importParquet } from '../src/ingest/parquet.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const shared = sharedAvailable();

// The real Sepsis log, written to Parquet by DuckDB (an independent writer: dictionary pages,
// Snappy, zone-less TIMESTAMP micros, booleans, BIGINT, DOUBLE, nulls) in row groups of 2048
// rows, so that cases straddle row groups.
describe.skipIf(!shared)('importParquet over the Sepsis log written by DuckDB', () => {
  let dir = '';
  let log: CompiledLog;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lf-sepsis-'));
    const file = path.join(dir, 'sepsis.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const csv = path.join(DATA_DIR, 'sepsis-cases.csv').replaceAll("'", "''");
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}', delim=';', header=true)) ` +
      `TO '${file.replaceAll("'", "''")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    connection.closeSync();
    log = await importParquet(await byteSourceFromFile(file), {});
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('has the counts of SOURCES.md: 1,050 cases, 15,214 events, 16 activities', () => {
    expect(log.caseCount).toBe(1050);
    expect(log.eventCount).toBe(15214);
    expect(log.activities.length).toBe(16);
  });

  it('reads the first row as the CSV says (case A, ER Registration, 2014/10/22 11:15:41)', () => {
    const a = log.caseIds.indexOf('A');
    const first = log.offsets[a];
    expect(log.activities[log.activity[first]]).toBe('ER Registration');
    expect(log.time[first]).toBe(Date.UTC(2014, 9, 22, 11, 15, 41));
  });

  it('maps the roles by name and keeps typed case attributes', () => {
    expect(log.info.mapping).toMatchObject({
      case: 'Case ID', activity: 'Activity', timestamp: 'Complete Timestamp',
    });
    // Age is BIGINT and InfectionSuspected BOOLEAN in the file (DuckDB's detection); where
    // each lands (case or event table) is the log builder's business, its type is ours.
    const column = (name: string) => log.caseAttributes.get(name) ?? log.eventAttributes.get(name);
    expect(column('Age')?.kind).toBe('number');
    expect(column('InfectionSuspected')?.kind).toBe('boolean');
    expect(column('CRP')?.kind).toBe('number');
  });
});
