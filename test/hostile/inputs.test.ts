/**
 * Hostile inputs through the library, the HTTP upload and the CLI: each answered by a correct
 * import or a typed error, nothing stored after a refusal, no message echoing file contents.
 * Expected answers: the counts of the small inputs are counted by hand (see inputs.ts); the
 * error codes are those of the registry in src/errors.ts meant for each fault.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  inputDir, openTestServer, type Outcome, REPO, type TestServer, viaCli, viaLibrary, viaServer,
} from './harness.js';
import { type HostileInput, makeInputs, SEED_CSV } from './inputs.js';

let dir = '';
let inputs: HostileInput[] = [];
let server: TestServer;
const tally = { inputs: 0, runs: 0, crashes: 0, hangs: 0, typed: 0, ok: 0, stored: 0 };

beforeAll(async () => {
  if (!existsSync(path.join(REPO, 'dist', 'src', 'ingest', 'limits.js'))) {
    throw new Error('the CLI is not built with the ingest limits: run npx tsc -p . first');
  }
  dir = await inputDir();
  inputs = await makeInputs(dir);
  server = await openTestServer(await readFile(SEED_CSV));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  console.log(`hostile inputs: ${JSON.stringify(tally)}`);
});

function check(input: HostileInput, face: string, outcome: Outcome): void {
  tally.runs++;
  const where = `${input.name} via ${face}: ${JSON.stringify(outcome).slice(0, 600)}`;
  if (outcome.kind === 'crash') tally.crashes++;
  if (outcome.kind === 'hang') tally.hangs++;
  expect(['ok', 'typed'], where).toContain(outcome.kind);
  if (outcome.kind === 'ok') {
    tally.ok++;
    expect(input.expect.ok, where).toBeDefined();
    expect({ cases: outcome.cases, events: outcome.events }, where).toEqual(input.expect.ok);
  } else if (outcome.kind === 'typed') {
    tally.typed++;
    expect(input.expect.codes ?? [], where).toContain(outcome.code);
    // Messages quote at most a cut-short value: never a whole field or file.
    expect(outcome.message.length, where).toBeLessThan(1000);
    if (input.secret !== undefined) expect(outcome.message, where).not.toContain(input.secret);
  }
}

describe('hostile inputs', () => {
  test('every input, through the library, the server and the CLI', async () => {
    expect(inputs.length).toBeGreaterThan(30);
    for (const input of inputs) {
      tally.inputs++;
      check(input, 'library', await viaLibrary(input.file));
      const http = await viaServer(server, input.file);
      check(input, 'server', http);
      if (http.kind !== 'ok' && !http.storeUnchanged) tally.stored++;
      expect(http.storeUnchanged, `${input.name}: the store changed`).toBe(true);
      expect(http.status, input.name).toBeLessThan(500);
      check(input, 'cli', await viaCli(input.file));
    }
    expect(tally.crashes).toBe(0);
    expect(tally.hangs).toBe(0);
  }, 900_000);
});
