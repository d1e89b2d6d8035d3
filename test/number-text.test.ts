import { describe, expect, it } from 'vitest';
import { numberOfText, plainDecimalOfBytes } from '../src/log/number-text.js';

describe('numberOfText', () => {
  it('reads plain decimals, keeping the sign of zero', () => {
    expect(numberOfText('5182.80')).toBe(5182.8);
    expect(numberOfText('-12.5')).toBe(-12.5);
    expect(numberOfText('5.')).toBe(5);
    expect(numberOfText('0.30')).toBe(0.3);
    expect(Object.is(numberOfText('-0'), -0)).toBe(true);
    expect(Object.is(numberOfText('-0.00'), -0)).toBe(true);
    expect(Object.is(numberOfText('0'), 0)).toBe(true);
  });

  it('reads the texts the inference rule accepts beyond plain decimals', () => {
    expect(numberOfText('.5')).toBe(0.5);
    expect(numberOfText('+5')).toBe(5);
    expect(numberOfText(' 5 ')).toBe(5);
    expect(numberOfText('1e3')).toBe(1000);
    // Past 2^53 the text rounds to the nearest double: 2^53 + 1 reads as 2^53.
    expect(numberOfText('9007199254740993')).toBe(9007199254740992);
    expect(numberOfText('0.12345678901234567890123')).toBe(0.12345678901234568);
  });

  it('gives NaN for identifiers and other texts', () => {
    for (const text of ['007', '-007', '00.5', '', '-', '.', 'NaN', '0x10', '1_000', '1.2.3']) {
      expect(numberOfText(text), text).toBeNaN();
    }
  });

  it('agrees with Number on random decimals', () => {
    let seed = 11;
    const digit = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 10;
    for (let k = 0; k < 20_000; k++) {
      let text = k % 3 === 0 ? '-' : '';
      text += String(1 + digit()) + Array.from({ length: k % 17 }, digit).join('');
      if (k % 5 !== 0) text += '.' + Array.from({ length: (k * 7) % 24 }, digit).join('');
      expect(Object.is(numberOfText(text), Number(text)), text).toBe(true);
    }
  });

  it('reads plain decimals from bytes and leaves every other text to the caller', () => {
    const read = (text: string) => {
      // Padded on both sides: only the given range counts.
      const bytes = Buffer.from(`7${text}7`, 'utf8');
      return plainDecimalOfBytes(bytes, 1, bytes.length - 1);
    };
    expect(read('5182.80')).toBe(5182.8);
    expect(read('5.')).toBe(5);
    expect(Object.is(read('-0.0'), -0)).toBe(true);
    // Numbers, but not plain decimals (numberOfText reads them), and no numbers at all.
    for (const text of ['+5', '.5', ' 5', '1e3', '9007199254740993', '007', '', '-', '5\u00e9']) {
      expect(read(text), text).toBeNaN();
    }
  });
});
