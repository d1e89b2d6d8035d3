/**
 * Compiles one of the WebAssembly modules `npm run build:wasm` writes into `build/`. Modules
 * look for it at their depth under the project root: once under `src/` (vitest) and once
 * under `dist/src/` (compiled), so each caller names both relative paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LedgerflowError } from './errors.js';

/** The module of the first of `candidates` (URLs relative to `moduleUrl`) that exists. */
export function compileBuiltWasm(moduleUrl: string, candidates: string[]): WebAssembly.Module {
  for (const candidate of candidates) {
    const file = fileURLToPath(new URL(candidate, moduleUrl));
    if (existsSync(file)) return new WebAssembly.Module(readFileSync(file));
  }
  const name = candidates[0].split('/').pop() ?? candidates[0];
  throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
    `build/${name} was not found; run \`npm run build:wasm\` first`);
}
