/**
 * Bounds checks for every flatbuffer Arrow decodes in this process.
 *
 * Arrow IPC headers (the footer, the schema, each message) are flatbuffers, and Arrow's
 * JavaScript decoder reads them through the `flatbuffers` package's ByteBuffer, which trusts
 * every offset and length it finds. A file from someone else (an upload, a compiled log
 * handed over) could then declare a vector of 2^31 entries in a 100-byte header: Arrow builds
 * an object per entry until the heap is gone, or spends minutes in the loop. So the readers
 * that take an offset or a length from the buffer are wrapped, once, to refuse any that
 * points outside the buffer or promises more entries than the bytes after it could hold: an
 * entry of an Arrow header vector is at least 4 bytes (an offset or an int; strings are byte
 * vectors of their own), the FieldNode and Buffer structs of a record batch 16 and the Block
 * structs of a footer 24. Entries may also share one sub-table (five fields, each listing the
 * next a thousand times as its children, make 10^15 fields to decode from 20 KB), so the fields
 * Arrow visits in one header may not outnumber its bytes / 8 (a field table takes more). A
 * refusal is a thrown Error, which every loader already turns into its typed error naming the
 * file. Valid headers never reach these limits.
 * @internal
 */
import { Field as FbField } from 'apache-arrow/fb/field';
import { Footer as FbFooter } from 'apache-arrow/fb/footer';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { ByteBuffer } from 'flatbuffers';

const guarded = Symbol.for('ledgerflow.flatbufferBounds');
/** Bytes of the smallest entry of a vector in an Arrow header (an offset, an int). */
const ENTRY = 4;
/** Bytes a field table takes at least, against which a header's field visits are counted. */
const FIELD_BYTES = 8;
/**
 * Largest header read: a footer of a million record batches takes 24 MB. It bounds what even
 * honest-looking entries of a padded header can make Arrow build (16-byte entries: 4 M).
 */
const MAX_HEADER = 64 * 1024 * 1024;
/** Fields visited so far, per header buffer. */
const visited = new WeakMap<ByteBuffer, number>();

/** Installs the checks (idempotent); called when a module that decodes Arrow is loaded. */
export function guardFlatbuffers(): void {
  const proto = ByteBuffer.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[guarded] === true) return;
  proto[guarded] = true;
  const base = {
    offset: ByteBuffer.prototype.__offset,
    indirect: ByteBuffer.prototype.__indirect,
    vector: ByteBuffer.prototype.__vector,
    vectorLen: ByteBuffer.prototype.__vector_len,
    union: ByteBuffer.prototype.__union,
    string: ByteBuffer.prototype.__string,
  };

  ByteBuffer.prototype.__offset = function offset(bbPos: number, vtableOffset: number) {
    within(this, bbPos, 4);
    const vtable = bbPos - this.readInt32(bbPos);
    within(this, vtable, 4);
    const field = base.offset.call(this, bbPos, vtableOffset);
    if (field !== 0) within(this, bbPos + field, 1);
    return field;
  };
  ByteBuffer.prototype.__indirect = function indirect(at: number) {
    within(this, at, 4);
    const target = base.indirect.call(this, at);
    within(this, target, 1);
    return target;
  };
  ByteBuffer.prototype.__union = function union<T>(t: T, at: number): T {
    within(this, at, 4);
    within(this, at + this.readInt32(at), 4);
    return base.union.call(this, t as never, at) as T;
  };
  ByteBuffer.prototype.__vector = function vector(at: number) {
    vectorLength(this, at, ENTRY);
    return base.vector.call(this, at);
  };
  ByteBuffer.prototype.__vector_len = function vectorLen(at: number) {
    return vectorLength(this, at, ENTRY);
  };
  ByteBuffer.prototype.__string = function string(at: number, encoding?: unknown) {
    vectorLength(this, at, 1);
    return base.string.call(this, at, encoding as never);
  };
  structWidth(FbRecordBatch.prototype, 'nodesLength', 16);
  structWidth(FbRecordBatch.prototype, 'buffersLength', 16);
  structWidth(FbFooter.prototype, 'dictionariesLength', 24);
  structWidth(FbFooter.prototype, 'recordBatchesLength', 24);
  countFieldVisits();
}

/** Arrow decodes a field's children once per field: more visits than fields means sharing. */
function countFieldVisits(): void {
  const proto = FbField.prototype as unknown as Record<string, (this: FbField) => number>;
  const original = proto.childrenLength;
  proto.childrenLength = function childrenLength(this: FbField): number {
    const bb = (this as unknown as { bb: ByteBuffer | null }).bb;
    if (bb !== null) {
      const count = (visited.get(bb) ?? 0) + 1;
      if (count > bb.capacity() / FIELD_BYTES) {
        throw new Error(`a ${bb.capacity()}-byte flatbuffer header makes Arrow visit more ` +
          'fields than it can hold: its fields share children');
      }
      visited.set(bb, count);
    }
    return original.call(this);
  };
}

/** Wraps a struct vector's length accessor so that its entries must fit at `width` bytes. */
function structWidth(proto: object, method: string, width: number): void {
  const table = proto as Record<string, (this: { bb: ByteBuffer | null }) => number>;
  const original = table[method];
  table[method] = function length(this: { bb: ByteBuffer | null }): number {
    const n = original.call(this);
    const capacity = this.bb?.capacity() ?? 0;
    if (n * width > capacity) {
      throw new Error(`a flatbuffer vector claims ${n} entries of ${width} bytes, more than ` +
        `the ${capacity}-byte header holds`);
    }
    return n;
  };
}

/**
 * The length of the vector whose offset is stored at `at`, checked against the buffer with
 * entries of at least `width` bytes.
 */
function vectorLength(bb: ByteBuffer, at: number, width: number): number {
  if (bb.capacity() > MAX_HEADER) {
    throw new Error(`a flatbuffer header of ${bb.capacity()} bytes, over the ${MAX_HEADER} ` +
      'a file of this kind can need');
  }
  within(bb, at, 4);
  const start = at + bb.readInt32(at);
  within(bb, start, 4);
  const length = bb.readInt32(start);
  if (length < 0 || length * width > bb.capacity() - start - 4) {
    throw new Error(`a flatbuffer vector at byte ${start} claims ${length} entries, more than ` +
      `the ${bb.capacity()}-byte header holds`);
  }
  return length;
}

function within(bb: ByteBuffer, at: number, bytes: number): void {
  if (!Number.isInteger(at) || at < 0 || at + bytes > bb.capacity()) {
    throw new Error(`a flatbuffer offset points to byte ${at}, outside its ` +
      `${bb.capacity()}-byte header`);
  }
}

guardFlatbuffers();
