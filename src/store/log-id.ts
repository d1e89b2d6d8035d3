/**
 * Log ids: made by the server, random and URL-safe, so no request value ever names a path.
 */
import { randomBytes } from 'node:crypto';

// 15 random bytes give 20 base64url characters with no padding: 120 bits, never guessed.
const ID_BYTES = 15;
const ID_PATTERN = /^[A-Za-z0-9_-]{20}$/;

/** A fresh log id. */
export function newLogId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** True when `text` has the shape of an id from {@link newLogId} (and so is safe in a path). */
export function isLogId(text: string): boolean {
  return ID_PATTERN.test(text);
}
