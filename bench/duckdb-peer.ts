/**
 * The DuckDB peer: the same log as integer-coded columns, mined with SQL (LEAD window for the
 * DFG and its waiting times, per-case min/max for durations, ordered list() for variants).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { CompiledLog } from '../src/log/compiled-log.js';

/** A DuckDB connection holding table `ev(case_id, seq, act, ts)`. */
export interface DuckPeer {
  connection: DuckDBConnection;
  close(): Promise<void>;
}

/** Loads the log into an in-memory DuckDB through a temporary CSV (outside the repository). */
export async function loadDuck(log: CompiledLog): Promise<DuckPeer> {
  const file = path.join(tmpdir(), `ledgerflow-bench-${process.pid}-${log.eventCount}.csv`);
  const out = createWriteStream(file);
  let chunk = '';
  for (let c = 0; c < log.caseCount; c++) {
    for (let i = log.offsets[c]; i < log.offsets[c + 1]; i++) {
      chunk += `${c},${i},${log.activity[i]},${log.time[i]}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE ev AS SELECT * FROM read_csv('${file}', header = false,
    columns = {'case_id': 'INTEGER', 'seq': 'INTEGER', 'act': 'INTEGER', 'ts': 'BIGINT'})`);
  await rm(file);
  return {
    connection,
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const DFG = `
  SELECT act, nxt, count(*) AS n, sum(d) AS s, min(d), max(d),
         quantile_disc(d, 0.5), quantile_disc(d, 0.9), quantile_disc(d, 0.95)
  FROM (SELECT act, lead(act) OVER w AS nxt, lead(ts) OVER w - ts AS d
        FROM ev WINDOW w AS (PARTITION BY case_id ORDER BY ts, seq))
  GROUP BY ALL`;
const STARTS = `
  SELECT act, count(*) FROM (SELECT arg_min(act, seq) AS act FROM ev GROUP BY case_id)
  GROUP BY ALL`;
const DURATIONS = `
  SELECT count(*), sum(d), min(d), max(d), quantile_disc(d, 0.5), quantile_disc(d, 0.9),
         quantile_disc(d, 0.95)
  FROM (SELECT max(ts) - min(ts) AS d FROM ev GROUP BY case_id)`;
const VARIANTS = `
  SELECT v, count(*) AS n, min(case_id) AS rep
  FROM (SELECT case_id, list(act ORDER BY ts, seq) AS v FROM ev GROUP BY case_id)
  GROUP BY v ORDER BY n DESC, rep`;
const ACTIVITIES = 'SELECT act, count(*) FROM ev GROUP BY act';

/** Runs the peer's equivalent of one mine call; returns the number of DFG rows. */
export async function mineDuck(peer: DuckPeer): Promise<number> {
  const dfg = await peer.connection.runAndReadAll(DFG);
  for (const sql of [STARTS, DURATIONS, VARIANTS, ACTIVITIES]) {
    await peer.connection.runAndReadAll(sql);
  }
  return dfg.currentRowCount;
}
