import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SealError } from '../../src/errors.js';
import { createSealer } from '../../src/secrets/index.js';

const key = Buffer.alloc(32, 1);

test('a sealed value opens again with the same key and AAD', () => {
  const sealer = createSealer(key);
  const blob = sealer.seal('{"accessToken":"a","refreshToken":"r"}', 'tg:1');
  assert.equal(sealer.open(blob, 'tg:1'), '{"accessToken":"a","refreshToken":"r"}');
  assert.equal(blob.includes(Buffer.from('accessToken')), false);
  assert.notDeepEqual(sealer.seal('x', 'tg:1'), sealer.seal('x', 'tg:1'), 'fresh nonce each time');
});

test('any flipped bit makes open throw SealError', () => {
  const sealer = createSealer(key);
  const blob = sealer.seal('secret tokens', 'tg:1');
  for (let bit = 0; bit < blob.length * 8; bit++) {
    const tampered = Buffer.from(blob);
    tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    assert.throws(() => sealer.open(tampered, 'tg:1'), SealError, `bit ${bit}`);
  }
  assert.throws(() => sealer.open(blob.subarray(0, blob.length - 1), 'tg:1'), SealError);
  assert.throws(() => sealer.open(Buffer.alloc(10), 'tg:1'), SealError);
});

test('a wrong key or another row AAD makes open throw SealError', () => {
  const blob = createSealer(key).seal('secret tokens', 'tg:1');
  assert.throws(() => createSealer(Buffer.alloc(32, 2)).open(blob, 'tg:1'), SealError);
  assert.throws(() => createSealer(key).open(blob, 'tg:2'), SealError);
});

test('a key of the wrong length is refused', () => {
  assert.throws(() => createSealer(Buffer.alloc(16)), SealError);
});
