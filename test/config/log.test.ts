import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger({ level: 'trace', destination }) };
}

test('secrets are redacted at every level, including nested and debug', () => {
  const { lines, log } = capture();
  log.debug(
    {
      password: 'PW-1',
      pin: '111111',
      login: { code: '222222', password: 'PW-2' },
      tokens: { accessToken: 'AT-1', refreshToken: 'RT-1', access_token: 'AT-2', refresh_token: 'RT-2' },
      request: { headers: { authorization: 'Bearer AT-3' } },
      headers: { authorization: 'Bearer AT-4' },
      config: { telegram: { token: 'BOT-1' }, secretKey: 'KEY-1', botToken: 'BOT-2' },
      email: 'jane.doe@example.com',
    },
    'login step',
  );
  const text = lines.join('');
  for (const secret of ['PW-1', 'PW-2', '111111', '222222', 'AT-1', 'RT-1', 'AT-2', 'RT-2', 'AT-3', 'AT-4', 'BOT-1', 'KEY-1', 'BOT-2', 'jane.doe']) {
    assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
  }
  assert.match(text, /j\*\*\*@example\.com/);
  assert.match(text, /login step/);
});

test('an error code stays readable while a 2FA code does not', () => {
  const { lines, log } = capture();
  log.error({ err: Object.assign(new Error('reset'), { code: 'ECONNRESET' }), code: '123456' }, 'failed');
  const text = lines.join('');
  assert.match(text, /ECONNRESET/);
  assert.equal(text.includes('123456'), false);
});

test('level filters lines', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write: (c: Buffer, _e, done) => {
      lines.push(c.toString());
      done();
    },
  });
  const log = createLogger({ level: 'warn', destination });
  log.info('quiet');
  log.warn('loud');
  assert.equal(lines.length, 1);
});
