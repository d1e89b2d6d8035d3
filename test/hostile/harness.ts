/**
 * Runs one hostile input through every face of ledgerflow: the library (`importLog`), the HTTP
 * upload (`POST /logs` by inject) and the CLI (`node bin/ledgerflow.js analyze`, needs
 * `npx tsc -p .` first), and reports what each answered. A face may answer a correct import or
 * a typed error; anything else (a plain exception, a stack trace, a 5xx, a hang) is a failure
 * the tests assert against. After a refused upload the store must hold what it held before.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { isLedgerflowError } from '../../src/errors.js';
import { importLog } from '../../src/ingest/import-log.js';
import type { IngestLimits } from '../../src/ingest/limits.js';
import { createServer } from '../../src/server/index.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(REPO, 'bin', 'ledgerflow.js');

/**
 * Small limits so bombs and giant fields stop within seconds: the same values go to the
 * library as options and to the server and the CLI through the environment.
 */
export const SMALL_LIMITS: IngestLimits = {
  maxInflatedBytes: 64 * 1024 ** 2,
  maxInflateRatio: 100,
  ratioAfterBytes: 1024 ** 2,
  maxFieldChars: 1024 ** 2,
  maxRowChars: 4 * 1024 ** 2,
  maxRowFields: 10_000,
};

/** The environment variables carrying {@link SMALL_LIMITS}. */
export const LIMITS_ENV: Record<string, string> = {
  LEDGERFLOW_MAX_INFLATED_BYTES: String(SMALL_LIMITS.maxInflatedBytes),
  LEDGERFLOW_MAX_INFLATE_RATIO: String(SMALL_LIMITS.maxInflateRatio),
  LEDGERFLOW_INFLATE_RATIO_AFTER: String(SMALL_LIMITS.ratioAfterBytes),
  LEDGERFLOW_MAX_FIELD_CHARS: String(SMALL_LIMITS.maxFieldChars),
  LEDGERFLOW_MAX_ROW_CHARS: String(SMALL_LIMITS.maxRowChars),
  LEDGERFLOW_MAX_ROW_FIELDS: String(SMALL_LIMITS.maxRowFields),
};

/** What one face answered. */
export type Outcome =
  | { kind: 'ok'; cases: number; events: number }
  | { kind: 'typed'; code: string; message: string }
  | { kind: 'crash'; detail: string }
  | { kind: 'hang' };

// A face that takes longer than this on a test input counts as a hang.
const HANG_MS = 60_000;

function withDeadline(work: Promise<Outcome>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang' }), HANG_MS);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

/** The library face. */
export function viaLibrary(file: string): Promise<Outcome> {
  return withDeadline(importLog(file, { limits: SMALL_LIMITS }).then(
    (log): Outcome => ({ kind: 'ok', cases: log.caseCount, events: log.eventCount }),
    (err: unknown): Outcome => isLedgerflowError(err)
      ? { kind: 'typed', code: err.code, message: err.message }
      : { kind: 'crash', detail: String((err as Error)?.stack ?? err) },
  ));
}

/** The CLI face: `analyze --json`, exit 0 with a summary or exit 1 with `error LF_ERR_…`. */
export function viaCli(file: string): Promise<Outcome> {
  return withDeadline(new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'analyze', file, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...LIMITS_ENV, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { if (out.length < 1 << 20) out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (err.length < 1 << 20) err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS - 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const typed = /^error (LF_ERR_[A-Z_]+): (.*)$/m.exec(err);
      if (signal === 'SIGKILL') resolve({ kind: 'hang' });
      else if (code === 0) {
        const summary = JSON.parse(out) as { cases: number; events: number };
        resolve({ kind: 'ok', cases: summary.cases, events: summary.events });
      } else if (code === 1 && typed !== null && !/\n\s+at /.test(err)) {
        resolve({ kind: 'typed', code: typed[1], message: typed[2] });
      } else resolve({ kind: 'crash', detail: `exit ${code}: ${err.slice(0, 2000)}` });
    });
  }));
}

/** A server over a temporary data directory, for {@link viaServer}. */
export interface TestServer {
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts a server (inject only, nothing listens) with one log already stored. */
export async function openTestServer(seedCsv: Buffer): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lf-hostile-'));
  const app = await createServer({ dataDir, logLevel: false });
  const seeded = await app.inject({ method: 'POST', url: '/logs?name=seed.csv',
    payload: seedCsv });
  if (seeded.statusCode !== 201) throw new Error(`seed upload failed: ${seeded.body}`);
  return {
    app, dataDir,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What the store holds: the ids it lists and the entries of its folders. */
export async function storeState(server: TestServer): Promise<string> {
  const ids = server.app.logStore.list().map((l) => `${l.id}:${l.status}`).sort();
  const logs = (await readdir(path.join(server.dataDir, 'logs'))).sort();
  const uploads = (await readdir(path.join(server.dataDir, 'uploads'))).sort();
  return JSON.stringify({ ids, logs, uploads });
}

/**
 * The HTTP face: the file streamed as a raw upload. A refused upload must leave the store as
 * it was; an accepted one is deleted again so the next input starts from the same store.
 */
export async function viaServer(server: TestServer, file: string): Promise<Outcome & {
  storeUnchanged: boolean; status: number; }> {
  const before = await storeState(server);
  const saved = Object.keys(LIMITS_ENV).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, LIMITS_ENV);
  let status = 0;
  const outcome = await withDeadline((async (): Promise<Outcome> => {
    const reply = await server.app.inject({
      method: 'POST', url: `/logs?name=${encodeURIComponent(path.basename(file))}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: createReadStream(file),
    });
    status = reply.statusCode;
    let body = reply.json() as UploadReply;
    // Large uploads answer 202 and import in the background: poll until they settle.
    while (status === 202 && body.status === 'importing') {
      await new Promise((r) => setTimeout(r, 50));
      body = (await server.app.inject({ url: `/logs/${body.id}` })).json() as UploadReply;
    }
    if (body.id !== undefined) {
      await server.app.inject({ method: 'DELETE', url: `/logs/${body.id}` });
    }
    if (body.status === 'ready') {
      return { kind: 'ok', cases: body.cases ?? -1, events: body.events ?? -1 };
    }
    const error = body.error;
    const typedStatus = body.status === 'failed' || (status >= 400 && status < 500);
    if (typedStatus && error?.code.startsWith('LF_ERR_') && error.code !== 'LF_ERR_HTTP_INTERNAL') {
      return { kind: 'typed', code: error.code, message: error.message };
    }
    return { kind: 'crash', detail: `HTTP ${status}: ${reply.body.slice(0, 2000)}` };
  })().catch((err: unknown): Outcome => ({ kind: 'crash', detail: String(err) })));
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const storeUnchanged = before === await storeState(server);
  return { ...outcome, storeUnchanged, status };
}

interface UploadReply {
  id?: string;
  status?: string;
  cases?: number;
  events?: number;
  error?: { code: string; message: string };
}

/** A fresh temporary folder for generated inputs. */
export function inputDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'lf-hostile-in-'));
}
