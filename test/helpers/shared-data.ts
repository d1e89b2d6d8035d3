/**
 * Where the shared public logs and cases live, and whether tests may use them.
 *
 * The data stays outside the repository (`../shared` beside the checkout). When the folder is
 * missing, tests that need it skip with a note, except under LEDGERFLOW_REQUIRE_SHARED=1
 * (set by `.ci/run`), where a missing folder fails the run instead of silently passing it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared folder beside the repository. */
export const SHARED_DIR = path.resolve(repoRoot, '..', 'shared');
/** Public event logs (see SOURCES.md there). */
export const DATA_DIR = path.join(SHARED_DIR, 'data');
/** Small inputs with their right answers (see README.md there). */
export const CASES_DIR = path.join(SHARED_DIR, 'cases');

let noted = false;

/** True when the shared folder is there; throws when it is required but missing. */
export function sharedAvailable(): boolean {
  const present = existsSync(DATA_DIR) && existsSync(CASES_DIR);
  if (present) return true;
  if (process.env.LEDGERFLOW_REQUIRE_SHARED === '1') {
    throw new Error(`shared data required but missing at ${SHARED_DIR}`);
  }
  if (!noted) {
    noted = true;
    console.warn(`note: ${SHARED_DIR} not found; tests over shared data are skipped`);
  }
  return false;
}
