/**
 * Where the page's static files live: `src/web/static`, found from this module whether it runs
 * from `src/web` (vitest, tsx) or compiled to `dist/src/web` (tsc does not copy non-TS files,
 * so the compiled module reads them from the source tree shipped beside `dist`).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The static folder, or the first candidate when none exists (the error names it). */
export function staticDir(): string {
  const candidates = [
    path.join(here, 'static'),
    path.resolve(here, '..', '..', '..', 'src', 'web', 'static'),
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0];
}

/** A file of the page, read once. */
export interface StaticFile {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Every file of the static folder by name (flat: the page has no sub-folders). */
export async function loadStaticFiles(dir = staticDir()): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const name of await readdir(dir)) {
    const type = TYPES[path.extname(name)];
    if (type === undefined) continue;
    files.set(name, { body: await readFile(path.join(dir, name)), type });
  }
  return files;
}
