/**
 * The checked media stream (src/blink/media.ts) on its own: every byte in order, chunks passed
 * on without a copy, the end of a body whose last chunk was the peeked one, truncation and
 * errors before the reader's first read, and destroy reaching the body.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { checkMedia } from '../../src/blink/media.js';
import { BlinkNetworkError } from '../../src/errors.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]);

function mp4(bytes: number, fill = 0x61): Buffer {
  const b = Buffer.alloc(bytes, fill);
  b.writeUInt32BE(24, 0);
  b.write('ftyp', 4, 'latin1');
  return b;
}

/** A body that has all its chunks (and its end) queued before anyone reads, like a small HTTP answer. */
function queued(chunks: Buffer[]): Readable {
  const body = new Readable({ read() {} });
  for (const chunk of chunks) body.push(chunk);
  body.push(null);
  return body;
}

async function ok(body: Readable, kind: 'video' | 'image', contentLength: number | undefined) {
  const check = await checkMedia(body, kind === 'video' ? 'video/mp4' : 'image/jpeg', contentLength, kind, 8, 'clip');
  assert.equal(check.kind, 'ok');
  if (check.kind !== 'ok') throw new Error('unreachable');
  return check.download.stream;
}

async function readAll(stream: Readable): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(chunk as Buffer);
  return out;
}

// A hang here is the bug: the timeout only turns it into a failure instead of a stuck run.
test('a body whose only chunk is the peeked head ends (the thumbnail case)', { timeout: 5_000 }, async () => {
  const stream = await ok(queued([JPEG]), 'image', JPEG.length);
  // Let the body's end happen before the first read, as when the cover is read later.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(Buffer.concat(await readAll(stream)), JPEG);
});

test('every byte in order, each chunk passed on as the same Buffer (no copy)', { timeout: 5_000 }, async () => {
  // The first chunk alone is shorter than the 8 bytes the signature check needs.
  const chunks = [
    Buffer.from([0, 0, 0, 24]),
    Buffer.concat([Buffer.from('ftyp', 'latin1'), Buffer.alloc(16 * 1024, 0x62)]),
    Buffer.alloc(64 * 1024, 0x63),
    Buffer.alloc(10, 0x64),
  ];
  const total = chunks.reduce((n, c) => n + c.length, 0);
  // Read in flowing mode: an async iterator's read() would join whatever is buffered.
  const stream = await ok(queued(chunks), 'video', total);
  const got: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => got.push(chunk));
  await new Promise((resolve, reject) => stream.once('end', resolve).once('error', reject));
  assert.equal(got.length, chunks.length);
  for (const [i, chunk] of chunks.entries()) assert.equal(got[i], chunk, `chunk ${i} is the body's own Buffer`);
});

test('a body shorter than its Content-Length fails as truncated', { timeout: 5_000 }, async () => {
  const head = mp4(1024);
  const stream = await ok(queued([head]), 'video', 4096);
  await assert.rejects(readAll(stream), (err: unknown) => err instanceof BlinkNetworkError && /truncated/.test(err.message));
});

test('a body error before the first read reaches the reader as a BlinkNetworkError', { timeout: 5_000 }, async () => {
  const body = new Readable({ read() {} });
  body.push(mp4(1024));
  const stream = await ok(body, 'video', 1 << 20);
  body.destroy(new Error('socket hang up'));
  await new Promise((r) => setImmediate(r));
  await assert.rejects(readAll(stream), (err: unknown) => err instanceof BlinkNetworkError && /broke off/.test(err.message));
});

test('destroying the stream destroys the body', { timeout: 5_000 }, async () => {
  const body = new Readable({ read() {} });
  body.push(mp4(1024));
  const stream = await ok(body, 'video', 1 << 20);
  for await (const chunk of stream) {
    assert.ok((chunk as Buffer).length > 0);
    break;
  }
  assert.equal(body.destroyed, true);
});

test('a young-generation collection is asked for every 2 MiB passed on (dead socket buffers freed early)', { timeout: 5_000 }, async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x65);
  const chunks = [mp4(64 * 1024), ...Array.from({ length: 143 }, () => chunk)]; // 9 MiB
  const total = chunks.reduce((n, c) => n + c.length, 0);
  let reclaims = 0;
  const check = await checkMedia(queued(chunks), 'video/mp4', total, 'video', 8, 'clip', { reclaim: () => reclaims++ });
  assert.equal(check.kind, 'ok');
  if (check.kind !== 'ok') return;
  let read = 0;
  for await (const c of check.download.stream) read += (c as Buffer).length;
  assert.equal(read, total);
  assert.equal(reclaims, 4, 'after 2, 4, 6 and 8 MiB of the body (the peeked head not counted)');
});
