/**
 * Recognises an SAP VBFA (sales document flow) table by its header.
 */
import { gunzipSync, constants as zlib } from 'node:zlib';
import { peekBytes } from '../byte-source.js';
import type { ByteSource } from '../import-options.js';

/** The columns the importer reads: predecessor, successor, its category, date and time. */
export const VBFA_COLUMNS = ['VBELV', 'VBELN', 'VBTYP_N', 'ERDAT', 'ERZET'] as const;

/** Where each needed column sits, or the names missing from `header`. */
export function vbfaColumnIndexes(
  header: readonly string[],
): { indexes: Record<(typeof VBFA_COLUMNS)[number], number> } | { missing: string[] } {
  const names = header.map((h) => h.trim().toUpperCase());
  const missing = VBFA_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) return { missing };
  const indexes = Object.fromEntries(VBFA_COLUMNS.map((c) => [c, names.indexOf(c)]));
  return { indexes: indexes as Record<(typeof VBFA_COLUMNS)[number], number> };
}

// The header is the first line; 4 KiB holds any VBFA header (the table has ~60 columns).
const HEAD_BYTES = 4096;

/** True when the first line of the (possibly gzip-compressed) source is a VBFA header. */
export async function looksLikeSapVbfa(source: ByteSource): Promise<boolean> {
  let head = await peekBytes(source, HEAD_BYTES);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // Sync flush: inflate what the cut-off head holds instead of failing on its end.
      head = gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      return false;
    }
  }
  const text = new TextDecoder().decode(head);
  const end = text.search(/[\r\n]/);
  if (end < 0 && head.length >= HEAD_BYTES) return false;
  const line = end < 0 ? text : text.slice(0, end);
  const fields = line.split(/[,;\t|]/).map((f) => f.replace(/^"|"$/g, ''));
  return 'indexes' in vbfaColumnIndexes(fields);
}
