/**
 * Texts written as an Arrow Utf8 vector in one go (saving a log's case ids and dictionaries).
 * Oracle: Arrow's own builder (`vectorFromArray`) on the same texts, and values by hand.
 */
import { tableFromIPC, tableToIPC, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { utf8Vector } from '../src/log/arrow-columns.js';

/** The texts as a reader of the written file gets them back. */
function roundTrip(texts: string[]): unknown[] {
  const bytes = tableToIPC(new Table({ t: utf8Vector(texts) }), 'file');
  return tableFromIPC(bytes).getChild('t')?.toArray() ?? [];
}

describe('utf8Vector', () => {
  it('ASCII texts, empty ones among them, read back as written', () => {
    const texts = ['INV-1', '', 'a', 'Zahlung', '', 'x'.repeat(300)];
    expect(roundTrip(texts)).toEqual(texts);
    const vector = utf8Vector(texts);
    expect(Array.from(vector.data[0].valueOffsets as Int32Array))
      .toEqual([0, 5, 5, 6, 13, 13, 313]);
  });

  it('non-ASCII texts: offsets count bytes, as Arrow\'s own builder writes them', () => {
    const texts = ['caf\u00e9', '\u20ac5', 'ü', '', '\u{1F600}', 'plain'];
    expect(roundTrip(texts)).toEqual(texts);
    const ours = utf8Vector(texts).data[0];
    const arrow = vectorFromArray(texts, new Utf8()).data[0];
    // By hand: é is 2 bytes, € 3, ü 2, the emoji 4: offsets 0, 5, 9, 11, 11, 15, 20.
    expect(Array.from(ours.valueOffsets as Int32Array)).toEqual([0, 5, 9, 11, 11, 15, 20]);
    expect(Array.from(ours.values as Uint8Array))
      .toEqual(Array.from((arrow.values as Uint8Array).subarray(0, 20)));
  });

  it('a lone surrogate is written as U+FFFD, as any UTF-8 encoder writes it', () => {
    expect(roundTrip(['a\ud800b', 'ok'])).toEqual(['a\ufffdb', 'ok']);
  });

  it('no texts', () => {
    expect(roundTrip([])).toEqual([]);
  });
});
