/**
 * The one error family (src/errors.ts, UserError in src/core/user-error.ts): every member is
 * an AppError whose `code` is set through its constructor, and the three ways of saying
 * "no usable session" are one code, each keeping its own reply text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/usage.js';
import { BlinkMediaError } from '../../src/blink/media-error.js';
import { AppError, BlinkAuthError, BlinkBusyError, BlinkRateLimitError, BlinkRefusedError } from '../../src/errors.js';
import { createHarness, GROUP, OWNER, textOf } from './harness.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

test('no source file patches a property in with Object.defineProperty', () => {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const patched = files.filter((file) => readFileSync(path.join(SRC, file), 'utf8').includes('Object.defineProperty'));
  assert.deepEqual(patched, []);
});

test('error codes are ordinary fields set by the constructor', () => {
  const errors: [AppError, string][] = [
    [new BlinkAuthError('x'), 'blink_auth'],
    [new BlinkRefusedError('x'), 'blink_refused'],
    [new BlinkRateLimitError('x', 1000), 'blink_rate_limit'],
    [new BlinkBusyError('x'), 'blink_busy'],
    [new BlinkMediaError('x', 'too-small', 'small'), 'blink_media'],
  ];
  for (const [error, code] of errors) {
    assert.equal(error.code, code);
    // A patched-in code is a non-writable own property; a field is an ordinary one.
    assert.equal(Object.getOwnPropertyDescriptor(error, 'code')?.writable, true, code);
  }
});

test("the CLI's usage error is part of the AppError family", () => {
  const error = new UsageError('backup needs the file to write');
  assert.ok(error instanceof AppError);
  assert.equal(error.code, 'cli_usage');
  assert.equal(error.name, 'UsageError');
});

test('no session, no link and an expired session share the code login_required, with their own texts', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  h.repos.allowlist.add(GROUP, 'env', h.clock.now());
  assert.equal(textOf(await h.send(OWNER, OWNER, '/logout')), 'You are not logged in to Blink.');
  assert.equal(textOf(await h.send(GROUP, OWNER, '/link')), 'Log in first: open a private chat with me and send /login.');
  assert.equal(textOf(await h.send(OWNER, OWNER, '/status')), 'You are not logged in to Blink. Send /login first.');
  assert.equal(textOf(await h.send(GROUP, OWNER, '/status')), 'This chat is not linked to a Blink account. Someone logged in can run /link here.');
  let audited = h.repos.audit.listRecent().map((e) => `${e.action}:${e.result}:${e.detail}`);
  assert.ok(audited.includes('logout:error:login_required'), audited.join(' '));
  assert.ok(audited.includes('link:error:login_required'), audited.join(' '));

  await h.login();
  const session = h.repos.sessions.getByOwner(OWNER);
  assert.ok(session);
  h.sessions.markNeedsLogin(session.id);
  assert.equal(textOf(await h.send(GROUP, OWNER, '/link')), 'Your Blink session expired: /login again.');
  assert.equal(textOf(await h.send(OWNER, OWNER, '/status')), 'Your Blink session expired: /login again.');
  audited = h.repos.audit.listRecent({ chat: GROUP }).map((e) => `${e.action}:${e.result}:${e.detail}`);
  assert.equal(audited[0], 'link:error:login_required');
});
