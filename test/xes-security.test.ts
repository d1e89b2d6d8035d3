/**
 * Hostile and broken inputs: each fixture in test/fixtures/xes was written by hand (or by the
 * short Python lines noted beside it) to fail in one known way.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isLedgerflowError, type LedgerflowError } from '../src/errors.js';
import { importXes } from '../src/ingest/xes/index.js';
import { bytesSource, fileSource } from './fixtures/xes/log-facts.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'xes');

async function failure(source: ReturnType<typeof fileSource>, code: ErrorCode) {
  const err = await importXes(source).then(() => null, (e: unknown) => e);
  expect(isLedgerflowError(err, code), String(err)).toBe(true);
  return err as LedgerflowError;
}

const fixture = (name: string, chunk?: number) => fileSource(path.join(FIXTURES, name), chunk);

describe('XES importer defences', () => {
  it('refuses a DOCTYPE declaring entities (billion laughs) without expanding it', async () => {
    const err = await failure(fixture('billion-laughs.xes'), 'LF_ERR_INGEST_BAD_XML');
    // The internal subset closes with "]>" on line 13.
    expect(err.location.line).toBe(13);
    expect(err.message).toMatch(/DOCTYPE declares an entity/);
    expect(err.message).not.toContain('lol');
    expect(err.message.length).toBeLessThan(400);
  });

  it('accepts a DOCTYPE that declares no entity, without reading the DTD it names', async () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE log SYSTEM "http://example.invalid/xes.dtd">\n'
      + '<log><trace><string key="concept:name" value="c1"/></trace></log>';
    const log = await importXes(bytesSource('dtd.xes', Buffer.from(xml)));
    expect(log.caseIds).toEqual(['c1']);
    expect(log.eventCount).toBe(0);
  });

  it('refuses a reference to an undeclared entity with its line', async () => {
    const err = await failure(fixture('undeclared-entity.xes'), 'LF_ERR_INGEST_BAD_XML');
    expect(err.location.line).toBe(4);
    expect(err.message).toMatch(/column \d+/);
    expect(err.message).toMatch(/undefined entity/);
  });

  it('stops at 1,000 levels of nesting in a 100,000-level document', async () => {
    // deep-nesting.xes.gz: 100,000 nested <container> elements inside one event.
    const err = await failure(fixture('deep-nesting.xes.gz'), 'LF_ERR_INGEST_TOO_LARGE');
    expect(err.message).toMatch(/deeper than 1000 levels/);
    expect(err.location.line).toBe(3);
  });

  it('names the compressed offset reached in a truncated gzip file', async () => {
    // truncated.xes.gz keeps the first 196 of the 393 gzip bytes of namespace-prefix.xes.
    const err = await failure(fixture('truncated.xes.gz', 50), 'LF_ERR_INGEST_BAD_GZIP');
    expect(err.location.byte).toBe(196);
    expect(err.message).toMatch(/196 compressed bytes/);
  });

  it('reports a corrupt gzip stream as BAD_GZIP', async () => {
    const bytes = gzipSync(Buffer.from('<log><trace/></log>'));
    bytes[12] ^= 0xff; // inside the deflate data, past the 10-byte header
    bytes[13] ^= 0xff;
    await failure(bytesSource('corrupt.xes.gz', bytes), 'LF_ERR_INGEST_BAD_GZIP');
  });

  it('rejects an XML document whose root is not <log>', async () => {
    const err = await failure(fixture('not-xes.xml'), 'LF_ERR_INGEST_NOT_XES');
    expect(err.message).toContain('the root element is <invoices>, an XES log starts with <log>');
    expect(err.location.line).toBe(2);
  });

  it('rejects a <log> root of a foreign namespace', async () => {
    const err = await failure(fixture('foreign-log.xml'), 'LF_ERR_INGEST_NOT_XES');
    expect(err.message).toContain('urn:example:syslog');
  });

  it('reads prefixed XES elements and skips a foreign-namespace element', async () => {
    const log = await importXes(fixture('namespace-prefix.xes', 3));
    expect(log.caseIds).toEqual(['INV-7']);
    expect(log.activities).toEqual(['Invoice Created', 'Payment Received']);
    // 2024-03-01T10:00:00+01:00 is 09:00Z: Date.UTC(2024, 2, 1, 9) = 1709283600000.
    expect(log.time[0]).toBe(Date.UTC(2024, 2, 1, 9));
    expect(log.caseAttributes.get('amount')).toEqual({
      kind: 'number', values: Float64Array.of(250.5),
    });
  });

  it('reads a log in the default XES namespace', async () => {
    const log = await importXes(fixture('default-namespace.xes'));
    expect(log.caseIds).toEqual(['INV-8']);
    expect(log.eventCount).toBe(1);
  });

  it('rejects bytes that are not UTF-8 with their offset', async () => {
    // latin1.xes: Python reported the Latin-1 é (0xE9) at byte 158.
    const err = await failure(fixture('latin1.xes', 10), 'LF_ERR_INGEST_BAD_ENCODING');
    expect(err.location.byte).toBe(158);
    expect(err.message).toContain('ISO-8859-1');
    // In one chunk the parser never reads the declaration; the message still names it.
    const whole = await failure(fixture('latin1.xes'), 'LF_ERR_INGEST_BAD_ENCODING');
    expect(whole.location.byte).toBe(158);
    expect(whole.message).toContain('ISO-8859-1');
  });

  for (const gzip of [false, true]) {
    it(`closes the source when it stops early (${gzip ? 'gzip' : 'plain'})`, async () => {
      // A root that is not <log> fails in the first chunk of a long stream.
      // Random ids keep the gzip form long too (hex compresses about 2:1).
      const text = `<invoices><invoice id="${randomBytes(500_000).toString('hex')}"/></invoices>`;
      const bytes = gzip ? gzipSync(Buffer.from(text)) : Buffer.from(text);
      let closed = false;
      let handedOut = 0;
      const source = {
        name: 'long.xml', size: bytes.length,
        async *open() {
          try {
            for (let i = 0; i < bytes.length; i += 64) {
              handedOut++;
              yield bytes.subarray(i, i + 64);
            }
          } finally {
            closed = true;
          }
        },
      };
      await failure(source, 'LF_ERR_INGEST_NOT_XES');
      expect(closed).toBe(true);
      expect(handedOut).toBeLessThan(Math.ceil(bytes.length / 64));
    });
  }

  it('reports an empty file', async () => {
    await failure(bytesSource('empty.xes', new Uint8Array(0)), 'LF_ERR_INGEST_EMPTY_FILE');
  });

  it('reports unclosed elements as BAD_XML', async () => {
    const text = '<log>\n<trace>\n<event>';
    await failure(bytesSource('cut.xes', Buffer.from(text)), 'LF_ERR_INGEST_BAD_XML');
  });
});
