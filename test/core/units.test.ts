import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchName, pickNetwork } from '../../src/core/name-match.js';
import { describeError, UserError } from '../../src/core/user-error.js';
import { parseDuration } from '../../src/core/commands/alerts.js';
import { BlinkApiError, BlinkAuthError, BlinkCommandError, BlinkNetworkError, BlinkRateLimitError } from '../../src/errors.js';

const cameras = [
  { id: '1', name: 'Front Door' },
  { id: '2', name: 'Front Yard' },
  { id: '3', name: 'Porch' },
];

test('names match case-insensitively, whole name before a unique prefix', () => {
  assert.equal(matchName(cameras, 'front door', 'camera').id, '1');
  assert.equal(matchName(cameras, 'POR', 'camera').id, '3');
  assert.equal(matchName(cameras, 'Front Y', 'camera').id, '2');
});

test('an ambiguous or unknown name is a UserError listing the valid names', () => {
  assert.throws(
    () => matchName(cameras, 'front', 'camera'),
    (e: unknown) => e instanceof UserError && /more than one/.test(e.message) && /Front Door, Front Yard/.test(e.message),
  );
  assert.throws(
    () => matchName(cameras, 'garage', 'camera'),
    (e: unknown) => e instanceof UserError && /Valid cameras: Front Door, Front Yard, Porch/.test(e.message),
  );
});

test('[network] may be left out only with one network', () => {
  assert.equal(pickNetwork([{ id: 'n', name: 'Home' }], undefined).id, 'n');
  assert.throws(
    () =>
      pickNetwork(
        [
          { id: 'a', name: 'Home' },
          { id: 'b', name: 'Cabin' },
        ],
        undefined,
      ),
    /name one: Home, Cabin/,
  );
});

test('errors become replies that say what to do next', () => {
  assert.match(describeError(new BlinkRateLimitError('/x', 12_300)).text, /busy.*13 s/);
  assert.match(describeError(new BlinkApiError(503, '/x')).text, /unavailable/);
  assert.match(describeError(new BlinkNetworkError('/x', 'reset')).text, /unavailable/);
  const auth = describeError(new BlinkAuthError('/x'));
  assert.match(auth.text, /session expired: \/login again/);
  assert.equal(auth.needsLogin, true);
  assert.match(describeError(new BlinkCommandError('late', true)).text, /did not confirm within 60 s/);
  const bug = describeError(new TypeError('x is undefined'), () => 'abc123');
  assert.equal(bug.text, 'Something went wrong (error id abc123).');
  assert.equal(bug.errorId, 'abc123');
});

test('mute durations', () => {
  assert.equal(parseDuration('30m'), 30 * 60_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('8x'), undefined);
  assert.equal(parseDuration('0h'), undefined);
});
