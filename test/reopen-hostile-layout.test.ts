/**
 * Compiled logs whose Arrow headers lie about their own layout (issue 8, faults F2–F5, F8 of
 * the session-3 adversarial test): a buffer shorter than its rows, a node of another length
 * than its batch, a time no Date can hold, a file rewritten in place after the open. Each is
 * remade here from a small log built in the test, by re-encoding its Arrow messages with one
 * header field changed; the expected outcome is the refusal (LF_ERR_LOG_BAD_COMPILED naming
 * the file), whose wording comes from the brief, or for controls the log that was saved.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Field, Int32, List, Table, TimestampMillisecond, makeData, makeVector, tableFromIPC, tableToIPC,
  vectorFromArray, type Schema, type Vector,
} from 'apache-arrow';
import { Footer, FileBlock } from 'apache-arrow/ipc/metadata/file';
import {
  BufferRegion, DictionaryBatch, FieldNode, Message, RecordBatch,
} from 'apache-arrow/ipc/metadata/message';
import { afterAll, describe, expect, it } from 'vitest';
import { timesInPlace } from '../src/log/arrow-views.js';
import { planIpcRanges } from '../src/log/ipc-ranges.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { casesPathFor, loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';

const dir = await mkdtemp(path.join(tmpdir(), 'lf-reopen-hostile-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const SOURCE = 'secret-source-name.csv';
const T0 = 1_704_096_000_000; // 2024-01-01T08:00:00Z

/** 3 cases, 8 events, resources, a Channel attribute, like the tester's base.csv. */
function smallLog(shift = 0): CompiledLog {
  const b = new LogBuilder();
  const rows: Array<[string, string, string]> = [
    ['c1', 'Create', 'ann'], ['c1', 'Send', 'bob'], ['c1', 'Pay', 'ann'],
    ['c2', 'Create', 'carol'], ['c2', 'Send', 'bob'], ['c2', 'Remind', 'dave'],
    ['c3', 'Create', 'ann'], ['c3', 'Pay', 'carol'],
  ];
  rows.forEach(([c, a, r], i) => {
    b.addEvent(c, a, T0 + i * 86_400_000 + shift, NaN, null, r);
    b.setEventAttribute('Channel', ['mail', 'portal'][i % 2], 'string');
  });
  return b.finish({ source: SOURCE, format: 'csv', mapping: {}, skippedRows: {} });
}

let serial = 0;
async function saved(log = smallLog()): Promise<string> {
  const file = path.join(dir, `log-${serial++}`, 'log.arrow');
  await rm(path.dirname(file), { recursive: true, force: true });
  await mkdir(path.dirname(file));
  await saveCompiledLog(log, file);
  return file;
}

interface Part<H> {
  header: H;
  body: Uint8Array;
}
interface Parts {
  schema: Schema;
  dictionaries: Part<DictionaryBatch>[];
  batches: Part<RecordBatch>[];
}

function int32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getInt32(0, true);
}

/** The schema, dictionary and record batches of an Arrow file, each header decoded. */
function parse(bytes: Uint8Array): Parts {
  const footerLength = int32(bytes, bytes.length - 10);
  const footer = Footer.decode(bytes.subarray(bytes.length - 10 - footerLength,
    bytes.length - 10));
  const read = <H>(block: FileBlock): Part<H> => {
    // Our writer always puts the continuation marker (−1) before the header length.
    const length = int32(bytes, block.offset + 4);
    const start = block.offset + 8;
    const message = Message.decode(bytes.subarray(start, start + length));
    const body = bytes.slice(start + length, start + length + message.bodyLength);
    return { header: message.header() as H, body };
  };
  return {
    schema: footer.schema,
    dictionaries: [...footer.dictionaryBatches()].map((b) => read<DictionaryBatch>(b)),
    batches: [...footer.recordBatches()].map((b) => read<RecordBatch>(b)),
  };
}

/** An Arrow file of these parts, messages framed and padded to 8 as Arrow's writer does. */
function build(parts: Parts): Uint8Array {
  const chunks: Uint8Array[] = [];
  let at = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    at += bytes.length;
  };
  const pad = (n: number) => (n + 7) & ~7;
  const frame = (meta: Uint8Array, body: Uint8Array): FileBlock => {
    const metaLength = pad(meta.length + 8) - 8;
    const out = new Uint8Array(8 + metaLength + pad(body.length));
    new DataView(out.buffer).setInt32(0, -1, true);
    new DataView(out.buffer).setInt32(4, metaLength, true);
    out.set(meta, 8);
    out.set(body, 8 + metaLength);
    const block = new FileBlock(8 + metaLength, pad(body.length), at);
    push(out);
    return block;
  };
  const magic = new Uint8Array(8);
  magic.set(Buffer.from('ARROW1'));
  push(magic);
  frame(Message.encode(Message.from(parts.schema)), new Uint8Array(0));
  const message = (part: Part<RecordBatch | DictionaryBatch>) => frame(
    Message.encode(Message.from(part.header, pad(part.body.length))), part.body);
  const dictionaries = parts.dictionaries.map(message);
  const batches = parts.batches.map(message);
  const footer = Footer.encode(new Footer(parts.schema, undefined, batches, dictionaries));
  push(footer);
  const tail = new Uint8Array(10);
  new DataView(tail.buffer).setInt32(0, footer.length, true);
  tail.set(Buffer.from('ARROW1'), 4);
  push(tail);
  return Buffer.concat(chunks);
}

/** Field and buffer positions of a column in the events file (two buffers per column). */
function indexOf(parts: Parts, name: string): number {
  const f = parts.schema.fields.findIndex((field) => field.name === name);
  expect(f, name).toBeGreaterThanOrEqual(0);
  return f;
}

/** Rewrites the events file's record batch through `change` (header fields copied first). */
async function rebatch(file: string, change: (batch: {
  length: number; nodes: FieldNode[]; buffers: BufferRegion[]; body: Uint8Array;
}, parts: Parts) => void): Promise<void> {
  const parts = parse(new Uint8Array(await readFile(file)));
  const [first] = parts.batches;
  const copy = {
    length: first.header.length,
    nodes: first.header.nodes.map((n) => new FieldNode(n.length, n.nullCount)),
    buffers: first.header.buffers.map((b) => new BufferRegion(b.offset, b.length)),
    body: new Uint8Array(first.body),
  };
  change(copy, parts);
  parts.batches[0] = {
    header: new RecordBatch(copy.length, copy.nodes, copy.buffers, null),
    body: copy.body,
  };
  await writeFile(file, build(parts));
}

async function failure(run: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

/** The refusal every fault here must give: typed, naming the file, said once. */
function expectRefusal(err: { code: string; message: string }, file = 'log.arrow'): void {
  expect(err.code, err.message).toBe('LF_ERR_LOG_BAD_COMPILED');
  expect(err.message.startsWith(`${file}`), err.message).toBe(true);
  expect(err.message.split('the compiled log is inconsistent').length, err.message).toBe(2);
  expect(err.message).not.toContain(SOURCE);
}

describe('a control: the crafting tools change nothing by themselves', () => {
  it('a rebuilt but unchanged events file loads as the saved log', async () => {
    const log = smallLog();
    const file = await saved(log);
    await rebatch(file, () => undefined);
    const back = await loadCompiledLog(file);
    expect(Array.from(back.time)).toEqual(Array.from(log.time));
    expect(Array.from(back.activity)).toEqual(Array.from(log.activity));
    expect(Array.from(back.resource ?? [])).toEqual(Array.from(log.resource ?? []));
  });
});

describe('buffers shorter than their rows (F2)', () => {
  it('refuses at open a time buffer of one value for 8 rows', async () => {
    const file = await saved();
    await rebatch(file, (batch, parts) => {
      const t = indexOf(parts, 'time');
      batch.buffers[2 * t + 1] = new BufferRegion(batch.buffers[2 * t + 1].offset, 8);
    });
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    // 8 rows × 8 bytes = 64 bytes needed, counted by hand.
    expect(err.message).toContain('column time');
    expect(err.message).toContain('value buffer has 8 bytes where 8 rows need 64');
  });

  it('refuses at open a time buffer that would convert over the activity codes', async () => {
    const file = await saved();
    await rebatch(file, (batch, parts) => {
      const a = indexOf(parts, 'activity');
      const t = indexOf(parts, 'time');
      const time = batch.buffers[2 * t + 1];
      const activity = batch.buffers[2 * a + 1];
      // The activity codes moved to just after the first 8 bytes of the times.
      const codes = batch.body.slice(activity.offset, activity.offset + activity.length);
      const scratch = new Uint8Array(batch.body.length + 64);
      scratch.set(batch.body);
      const moved = batch.body.length;
      scratch.set(batch.body.subarray(time.offset, time.offset + 8), moved);
      scratch.set(codes, moved + 8);
      batch.body = scratch;
      batch.buffers[2 * t + 1] = new BufferRegion(moved, 8);
      batch.buffers[2 * a + 1] = new BufferRegion(moved + 8, activity.length);
    });
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    expect(err.message).toContain('column time');
  });

  it('refuses at open an activity buffer of 2 codes for 8 rows', async () => {
    const file = await saved();
    await rebatch(file, (batch, parts) => {
      const a = indexOf(parts, 'activity');
      batch.buffers[2 * a + 1] = new BufferRegion(batch.buffers[2 * a + 1].offset, 8);
    });
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    // int32 codes: 8 rows × 4 bytes = 32.
    expect(err.message).toContain('value buffer has 8 bytes where 8 rows need 32');
  });

  it('refuses a node whose row count differs from its batch, at open or first use',
    async () => {
      const file = await saved();
      await rebatch(file, (batch, parts) => {
        const a = indexOf(parts, 'activity');
        batch.nodes[a] = new FieldNode(4, 0);
      });
      const err = await failure(() => loadCompiledLog(file));
      expectRefusal(err);
      expect(err.message).toContain('field node has 4 rows where its batch has 8');

      const lazy = await saved();
      await rebatch(lazy, (batch, parts) => {
        const r = indexOf(parts, 'resource');
        batch.nodes[r] = new FieldNode(2, 0);
      });
      const back = await loadCompiledLog(lazy);
      const late = await failure(() => back.resource);
      expectRefusal(late);
      expect(late.message).toContain('column "resource"');
    });

  it('refuses at first use a validity bitmap shorter than its rows', async () => {
    const log = smallLog();
    const channel = log.eventAttributes.get('Channel');
    if (channel?.kind !== 'string') throw new Error('Channel is a string column');
    channel.codes[5] = -1; // a null, so that the column is saved with a validity bitmap
    const file = await saved(log);
    await rebatch(file, (batch, parts) => {
      const c = indexOf(parts, 'Channel');
      expect(batch.nodes[c].nullCount).toBe(1);
      batch.buffers[2 * c] = new BufferRegion(batch.buffers[2 * c].offset, 0);
    });
    const back = await loadCompiledLog(file);
    const err = await failure(() => back.eventAttributes.get('Channel'));
    expectRefusal(err);
    // ⌈8 / 8⌉ = 1 byte of validity for 8 rows.
    expect(err.message).toContain('column "Channel": its validity buffer has 0 bytes where 8 ' +
      'rows need 1');
  });

  it('refuses at open a batch that claims fewer rows than its columns', async () => {
    const file = await saved();
    await rebatch(file, (batch) => {
      batch.length = 4;
    });
    expectRefusal(await failure(() => loadCompiledLog(file)));
  });

  it('refuses a dictionary whose offsets buffer is shorter than its names', async () => {
    const file = await saved();
    const parts = parse(new Uint8Array(await readFile(file)));
    const a = indexOf(parts, 'activity');
    const id = (parts.schema.fields[a].type as { id: number }).id;
    const k = parts.dictionaries.findIndex((d) => d.header.id === id);
    const dictionary = parts.dictionaries[k].header;
    // Utf8 buffers: validity, offsets, text. 4 names need (4 + 1) × 4 = 20 offset bytes.
    expect(dictionary.length).toBe(4);
    const buffers = dictionary.buffers.map((b) => new BufferRegion(b.offset, b.length));
    buffers[1] = new BufferRegion(buffers[1].offset, 8);
    parts.dictionaries[k] = {
      header: new DictionaryBatch(new RecordBatch(dictionary.length,
        dictionary.nodes, buffers, null), id),
      body: parts.dictionaries[k].body,
    };
    await writeFile(file, build(parts));
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    expect(err.message).toContain('its dictionary: its offsets buffer has 8 bytes where 4 rows ' +
      'need 20');
  });
});

describe('timesInPlace', () => {
  it('converts only the bytes of its own buffer, however many rows the node claims', () => {
    // One buffer of 4 int64s; the column's values are its first two, its node says 4 rows.
    const all = new BigInt64Array([5n, 6n, 7n, 8n]);
    const data = makeData({
      type: new TimestampMillisecond(), length: 4, nullCount: 0,
      data: all.subarray(0, 2),
    });
    const out = timesInPlace(data);
    expect(Array.from(out)).toEqual([5, 6]);
    // The two int64s after the buffer are someone else's: untouched.
    expect(Array.from(all.subarray(2))).toEqual([7n, 8n]);
  });
});

/** Rewrites the events file with one column replaced, keeping its notes (pair id, info). */
async function replaceColumn(file: string, name: string, column: Vector): Promise<void> {
  const table = tableFromIPC(await readFile(file));
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name)!;
  columns[name] = column;
  const out = new Table(columns);
  for (const [k, v] of table.schema.metadata) out.schema.metadata.set(k, v);
  await writeFile(file, tableToIPC(out, 'file'));
}

function stamps(values: bigint[]): Vector {
  return makeVector({ type: new TimestampMillisecond(), data: BigInt64Array.from(values) });
}

describe('times outside the Date range (F3)', () => {
  const base = Array.from(smallLog().time, (t) => BigInt(t));
  // Date's range is ±8.64e15 ms (ECMAScript's time value limit); 2^62 is far past it.
  it.each([
    ['2^62 ms', 1n << 62n],
    ['-2^62 ms', -(1n << 62n)],
    ['one past the largest Date', 8_640_000_000_000_001n],
    ['one before the smallest Date', -8_640_000_000_000_001n],
  ])('refuses at open an event time of %s, naming the row', async (_, value) => {
    const file = await saved();
    const times = [...base];
    times[2] = value;
    await replaceColumn(file, 'time', stamps(times));
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    expect(err.message).toContain(`event 2 has time ${Number(value)} ms`);
  });

  it('accepts the largest Date itself', async () => {
    const file = await saved();
    const times = [...base];
    times[7] = 8_640_000_000_000_000n;
    await replaceColumn(file, 'time', stamps(times));
    const back = await loadCompiledLog(file);
    expect(back.time[7]).toBe(8.64e15);
    expect(new Date(back.time[7]).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
  });

  it('refuses a timestamp attribute out of range at its first use', async () => {
    const file = await saved();
    const due = [...base];
    due[3] = 1n << 60n;
    await replaceColumn(file, 'Due', stamps(due));
    const back = await loadCompiledLog(file);
    expect(back.eventAttributes.get('Channel')?.kind).toBe('string');
    const err = await failure(() => back.eventAttributes.get('Due'));
    expectRefusal(err);
    expect(err.message).toContain('column "Due"');
    expect(err.message).toContain('event 3 has Due');
  });
});

describe('a file rewritten in place after the open (F4)', () => {
  it('refuses the lazy read instead of mixing two logs', async () => {
    const file = await saved(smallLog());
    const other = await saved(smallLog(3_600_000));
    const back = await loadCompiledLog(file);
    // Past the file system's clock tick, so that the rewrite gets a new modification time.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // writeFile truncates and rewrites the same inode, as `cp` does.
    await writeFile(file, await readFile(other));
    await writeFile(casesPathFor(file), await readFile(casesPathFor(other)));
    const err = await failure(() => back.resource);
    expectRefusal(err);
    expect(err.message).toContain('changed since it was opened; open it again');
    const ids = await failure(() => back.caseIds);
    expectRefusal(ids, 'log.cases.arrow');
  });
});

describe('messages of a refused log (F8)', () => {
  it('name the file and the registry words once when a lazy read runs past the end',
    async () => {
      const file = await saved();
      await rebatch(file, (batch, parts) => {
        const r = indexOf(parts, 'resource');
        // Past the body: refused as outside its batch at the first use of resource.
        batch.buffers[2 * r + 1] = new BufferRegion(batch.body.length + 64, 32);
      });
      const back = await loadCompiledLog(file);
      const err = await failure(() => back.resource);
      expectRefusal(err);
      expect(err.message.split('log.arrow').length, err.message).toBe(2);
      expect(err.message.split('compile the log again').length, err.message).toBe(2);
    });

  it('name the file and the registry words once when two columns share bytes', async () => {
    const file = await saved();
    await rebatch(file, (batch, parts) => {
      const a = indexOf(parts, 'activity');
      const r = indexOf(parts, 'resource');
      batch.buffers[2 * r + 1] = batch.buffers[2 * a + 1];
    });
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    expect(err.message).toContain('columns activity and resource share bytes');
    expect(err.message.split('log.arrow').length, err.message).toBe(2);
  });
});

describe('a file read whole (a layout the range plan does not model)', () => {
  /** Saves the small log with a List column added, which the range plan does not model. */
  async function withList(): Promise<string> {
    const file = await saved();
    const lists = vectorFromArray(Array.from({ length: 8 }, (_, i) => [i]),
      new List(new Field('item', new Int32(), true)));
    await replaceColumn(file, 'Tags', lists);
    return file;
  }

  it('a control: loads as saved', async () => {
    const log = smallLog();
    const file = await withList();
    const bytes = new Uint8Array(await readFile(file));
    expect(planIpcRanges((at, n) => bytes.subarray(at, at + n), bytes.length)).toBeNull();
    const back = await loadCompiledLog(file);
    expect(Array.from(back.activity)).toEqual(Array.from(log.activity));
    expect(Array.from(back.time)).toEqual(Array.from(log.time));
  });

  it('refuses at open an activity buffer of 2 codes for 8 rows', async () => {
    const file = await withList();
    await rebatch(file, (batch, parts) => {
      const a = indexOf(parts, 'activity');
      batch.buffers[2 * a + 1] = new BufferRegion(batch.buffers[2 * a + 1].offset, 8);
    });
    const err = await failure(() => loadCompiledLog(file));
    expectRefusal(err);
    // Arrow's view of 8 bytes holds 2 int32 codes; the batch has 8 rows.
    expect(err.message).toContain('column activity: its value buffer holds 2 of its 8 rows');
  });
});
