/**
 * This process's open spill files of the CSV import (code-spill.ts): on Linux, a descriptor's
 * link in /proc names the unlinked file. -1 where /proc is missing.
 */
import { existsSync, readdirSync, readlinkSync } from 'node:fs';

export function openSpillFiles(): number {
  if (!existsSync('/proc/self/fd')) return -1;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes('ledgerflow-spill-');
    } catch {
      return false;
    }
  }).length;
}
