import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createScrubbedLogger } from '../../src/app/scrub-logger.js';
import { createLogger } from '../../src/log.js';

test('a bot token inside an error message or any string field never reaches the log', () => {
  let lines = '';
  const destination = new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      lines += chunk.toString();
      cb();
    },
  });
  const token = '123456:AAsecretTOKENvalue';
  const log = createScrubbedLogger(createLogger({ level: 'debug', destination }), [token]).child({ component: 'telegram' });
  const err = new Error(`request to http://127.0.0.1:9/bot${token}/getMe failed`, { cause: new Error(`url /bot${token}/x`) });
  log.warn({ err, nested: { url: `https://api.telegram.org/bot${token}/sendVideo` } }, `failed /bot${token}`);
  log.error({ reason: [`bot${token}`] }, 'again');
  assert.equal(lines.includes(token), false, lines);
  assert.match(lines, /\[Redacted\]\/getMe failed/);
  assert.match(lines, /"component":"telegram"/);
});
