/**
 * Bounds checks for every flatbuffer Arrow decodes in this process.
 *
 * Arrow IPC headers (the footer, the schema, each message) are flatbuffers, and Arrow's
 * JavaScript decoder reads them through the `flatbuffers` package's ByteBuffer, which trusts
 * every offset and length it finds. A file from someone else (an upload, a compiled log
 * handed over) could then declare a vector of 2^31 entries in a 100-byte header: Arrow builds
 * an object per entry until the heap is gone, or spends minutes in the loop. So the readers
 * that take an offset or a length from the buffer are wrapped, once, to refuse any that
 * points outside the buffer or promises more entries than the bytes after it could hold (an
 * entry is at least one byte). A refusal is a thrown Error, which every loader already turns
 * into its typed error naming the file. Valid buffers never reach these limits.
 * @internal
 */
import { ByteBuffer } from 'flatbuffers';

const guarded = Symbol.for('ledgerflow.flatbufferBounds');

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
    vectorLength(this, at);
    return base.vector.call(this, at);
  };
  ByteBuffer.prototype.__vector_len = function vectorLen(at: number) {
    return vectorLength(this, at);
  };
  ByteBuffer.prototype.__string = function string(at: number, encoding?: unknown) {
    vectorLength(this, at);
    return base.string.call(this, at, encoding as never);
  };
}

/** The length of the vector whose offset is stored at `at`, checked against the buffer. */
function vectorLength(bb: ByteBuffer, at: number): number {
  within(bb, at, 4);
  const start = at + bb.readInt32(at);
  within(bb, start, 4);
  const length = bb.readInt32(start);
  if (length < 0 || length > bb.capacity() - start - 4) {
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
