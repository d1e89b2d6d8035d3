/**
 * The CSV and XES scanners (assembly/csv, assembly/xes) must hold no static data: the JS side
 * lays out their memory from address 0 (csv-scanner.ts writes the shape, the output addresses
 * and the stop table below 384 and starts the heap there; the XES scanner's heap starts at
 * 64), so a data segment (a table, a string literal) would be overwritten by those words or
 * by the heap's first regions. A table did once. Oracle: the sections of the built
 * modules, read by their ids (11 is the data section), checked on a hand-made module first.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DATA_SECTION = 11;

/** The ids of a module's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    ids.push(id);
    at += size;
  }
  expect(at).toBe(bytes.length);
  return ids;
}

describe('scanner modules hold no static data', () => {
  it('the section reader finds a data section where one is', () => {
    // A memory of one page and one segment "ab" at address 8.
    const module = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x01,
      0x0b, 0x08, 0x01, 0x00, 0x41, 0x08, 0x0b, 0x02, 0x61, 0x62]);
    expect(() => new WebAssembly.Module(module)).not.toThrow();
    expect(sectionIds(module)).toEqual([5, DATA_SECTION]);
  });

  for (const name of ['csv-scan.wasm', 'xes-scan.wasm']) {
    it(`build/${name} has code and no data section`, () => {
      const file = fileURLToPath(new URL(`../build/${name}`, import.meta.url));
      const ids = sectionIds(readFileSync(file));
      // Import (the memory), export and code sections: the reader walked the real module.
      expect(ids).toEqual(expect.arrayContaining([2, 7, 10]));
      expect(ids).not.toContain(DATA_SECTION);
    });
  }
});
