/**
 * What the store tells about a log: its manifest once it is ready, or the state of its import.
 */
import type { LogManifest } from './manifest.js';

/** A log's state: importing (with progress), ready, or failed (with the error). */
export type LogStatus = 'importing' | 'ready' | 'failed';

/** One log as the API lists it. */
export interface LogRecord {
  id: string;
  name: string;
  createdAt: string;
  status: LogStatus;
  /** Bytes uploaded. */
  bytes: number;
  /** Share of the upload read by the importer, 0 to 1 (1 once ready). */
  progress: number;
  cases: number | null;
  events: number | null;
  activities: number | null;
  format: string | null;
  /** Why the import failed (status `failed`). */
  error: { code: string; message: string } | null;
}

/** The record of a ready log. */
export function recordFromManifest(manifest: LogManifest): LogRecord {
  return {
    id: manifest.id,
    name: manifest.name,
    createdAt: manifest.createdAt,
    status: 'ready',
    bytes: manifest.bytes,
    progress: 1,
    cases: manifest.cases,
    events: manifest.events,
    activities: manifest.activities,
    format: manifest.format,
    error: null,
  };
}

// Control characters and path separators never reach a label; the rest is the client's name.
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]/g;

/** A display label from a client-given file name: last path part, cleaned, cut short. */
export function labelFromName(name: string | undefined, fallback: string): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = last.replace(UNSAFE_NAME, '').trim().slice(0, 200);
  return clean === '' ? fallback : clean;
}
