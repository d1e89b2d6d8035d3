// Arrow headers from files of unknown origin: a flatbuffer that promises more than its bytes
// hold, or a damaged message header, must give a typed error quickly, never exhaust the heap
// or hang the calling thread. The files are small logs saved here and patched by hand at
// positions found by walking the footer's flatbuffer (offsets per the FlatBuffers format).
import { constants } from 'node:buffer';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ByteBuffer } from 'flatbuffers';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../src/generate/index.js';
import { importLog } from '../src/ingest/import-log.js';
import { guardFlatbuffers } from '../src/log/flatbuffer-bounds.js';
import { loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';

const dir = await mkdtemp(path.join(tmpdir(), 'lf-hostile-headers-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A saved log and its bytes. */
async function savedLog(name: string): Promise<{ file: string; bytes: Buffer }> {
  const file = path.join(dir, `${name}.arrow`);
  await saveCompiledLog(generateLog({ invoices: 20, seed: 3 }), file);
  return { file, bytes: await readFile(file) };
}

/** Position of a table field (vtable slot `slot`) of the table at `table`, or 0 if absent. */
function fieldAt(bytes: Buffer, table: number, slot: number): number {
  const vtable = table - bytes.readInt32LE(table);
  const offset = bytes.readInt16LE(vtable + 4 + 2 * slot);
  return offset === 0 ? 0 : table + offset;
}

/** The footer's root table: the footer ends 10 bytes before the file (length, magic). */
function footerRoot(bytes: Buffer): number {
  const footer = bytes.length - 10 - bytes.readInt32LE(bytes.length - 10);
  return footer + bytes.readInt32LE(footer);
}

/** Where the footer's schema `fields` vector keeps its length. */
function schemaFieldsLength(bytes: Buffer): number {
  const schemaRef = fieldAt(bytes, footerRoot(bytes), 1);
  const schema = schemaRef + bytes.readInt32LE(schemaRef);
  const fieldsRef = fieldAt(bytes, schema, 1);
  return fieldsRef + bytes.readInt32LE(fieldsRef);
}

/** Where the first record batch's message header starts (its root offset). */
function firstBatchRoot(bytes: Buffer): number {
  const batchesRef = fieldAt(bytes, footerRoot(bytes), 3);
  const batches = batchesRef + bytes.readInt32LE(batchesRef);
  // Block struct: offset (int64), metaDataLength (int32), padding, bodyLength (int64).
  const blockOffset = Number(bytes.readBigInt64LE(batches + 4));
  // The message: continuation marker (0xFFFFFFFF), metadata length, then the flatbuffer.
  return blockOffset + 8;
}

describe('flatbuffer bounds', () => {
  it('refuses a vector longer than its buffer, and an offset outside it', () => {
    guardFlatbuffers();
    // By hand: at 0 an offset of 4 to a vector whose length field says 2^31 − 1.
    const huge = new ByteBuffer(Uint8Array.of(4, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f));
    expect(() => huge.__vector_len(0)).toThrow(/claims 2147483647 entries/);
    // A vector of 2 four-byte entries fits in 16 bytes: 4 (offset) + 4 (length) + 8; a third
    // entry would not.
    const fits = new ByteBuffer(Uint8Array.of(4, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0));
    expect(fits.__vector_len(0)).toBe(2);
    const over = new ByteBuffer(Uint8Array.of(4, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0));
    expect(() => over.__vector_len(0)).toThrow(/claims 3 entries/);
    // An indirect offset of 100 from byte 0 of an 8-byte buffer.
    const away = new ByteBuffer(Uint8Array.of(100, 0, 0, 0, 0, 0, 0, 0));
    expect(() => away.__indirect(0)).toThrow(/outside its 8-byte header/);
  });
});

describe('hostile compiled-log headers', () => {
  it('refuses a schema whose fields vector claims 2^31 entries, quickly', async () => {
    const { file, bytes } = await savedLog('fields-huge');
    const patched = Buffer.from(bytes);
    patched.writeInt32LE(0x7fffffff, schemaFieldsLength(bytes));
    await writeFile(file, patched);
    const started = Date.now();
    await expect(loadCompiledLog(file)).rejects.toMatchObject({
      code: 'LF_ERR_LOG_BAD_COMPILED', message: expect.stringContaining('fields-huge.arrow'),
    });
    // Before the bounds checks Arrow built an object per claimed field until the heap ran out.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a record batch whose header root points elsewhere, without blocking', async () => {
    const { file, bytes } = await savedLog('batch-root');
    const patched = Buffer.from(bytes);
    patched[firstBatchRoot(bytes)] = 0xff;
    await writeFile(file, patched);
    // While the damaged file is checked, this thread keeps running timers.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    try {
      await expect(loadCompiledLog(file)).rejects.toMatchObject({
        code: 'LF_ERR_LOG_BAD_COMPILED', message: expect.stringContaining('batch-root.arrow'),
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a file larger than one buffer, and one without the Arrow magic, unread', async () => {
    const { file } = await savedLog('huge');
    // Sparse: no disk is used. Before, a buffer of the file's size was made and threw.
    await truncate(file, constants.MAX_LENGTH + 1);
    await expect(loadCompiledLog(file)).rejects.toMatchObject({
      code: 'LF_ERR_LOG_BAD_COMPILED', message: expect.stringContaining('more than one buffer'),
    });
    await truncate(file, 64 * 1024 * 1024);
    await expect(loadCompiledLog(file)).rejects.toMatchObject({
      code: 'LF_ERR_INGEST_BAD_ARROW', message: expect.stringContaining('does not end with'),
    });
    await rm(file);
  });

  it('still opens the unpatched log', async () => {
    const { file } = await savedLog('intact');
    const log = await loadCompiledLog(file);
    expect(log.caseCount).toBe(generateLog({ invoices: 20, seed: 3 }).caseCount);
  });
});

describe('hostile Arrow tables', () => {
  it('refuses an imported table whose schema claims 2^31 fields', async () => {
    const table = tableFromArrays({
      'Case ID': ['c1', 'c1', 'c2'], Activity: ['a', 'b', 'a'],
      Timestamp: ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'],
    });
    const bytes = Buffer.from(tableToIPC(table, 'file'));
    const file = path.join(dir, 'table.arrow');
    await writeFile(file, bytes);
    // The intact table imports (3 events by hand), so the refusal below is the patch's.
    expect((await importLog(file)).eventCount).toBe(3);
    const patched = Buffer.from(bytes);
    patched.writeInt32LE(0x7fffffff, schemaFieldsLength(bytes));
    await writeFile(file, patched);
    await expect(importLog(file)).rejects.toMatchObject({ code: 'LF_ERR_INGEST_BAD_ARROW' });
  });
});
