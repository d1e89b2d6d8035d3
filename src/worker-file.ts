/**
 * Where a worker script lies. Workers must be JavaScript: a module running from its
 * TypeScript source (vitest) points at the compiled twin under `dist/` (built by
 * `npm run build`); once compiled, the worker sits beside the module that starts it.
 */
import { fileURLToPath } from 'node:url';

/** The compiled worker `name` (no extension) that sits beside the module at `moduleUrl`. */
export function workerFile(moduleUrl: string, name: string): string {
  const beside = new URL(`./${name}.js`, moduleUrl);
  if (!moduleUrl.endsWith('.ts')) return fileURLToPath(beside);
  // .../src/<folders>/module.ts -> .../dist/src/<folders>/name.js (the project's own src, the
  // last one in the path).
  const at = beside.pathname.lastIndexOf('/src/');
  const compiled = new URL(beside.href);
  compiled.pathname = `${beside.pathname.slice(0, at)}/dist${beside.pathname.slice(at)}`;
  return fileURLToPath(compiled);
}
