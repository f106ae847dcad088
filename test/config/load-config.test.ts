import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatChatRef, loadConfig, parseChatRef, restUrlForTier } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const base = { TELEGRAM_BOT_TOKEN: '123:abc' };

function problemsOf(env: Record<string, string | undefined>, requireFrontEnd = false): string[] {
  try {
    loadConfig(env, { requireFrontEnd });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return [...error.problems];
  }
  return [];
}

test('defaults fill every variable and the result is deeply frozen', () => {
  const config = loadConfig(base, { requireFrontEnd: true });
  assert.equal(config.telegram?.apiRoot, 'https://api.telegram.org');
  assert.equal(config.telegram?.uploadLimitBytes, 50 * 1024 * 1024);
  assert.equal(config.discord, null);
  assert.equal(config.blink.restUrlTemplate, 'https://rest-{tier}.immedia-semi.com');
  assert.equal(config.blink.oauthUrl, 'https://api.oauth.blink.com');
  assert.match(config.databasePath, /data[/\\]blink-bot\.sqlite$/);
  assert.equal(config.secretKey(), undefined);
  assert.equal(config.pollIntervalSeconds, 60);
  assert.equal(config.retentionDays, 30);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.httpPort, null);
  assert.deepEqual(config.allowedChats, []);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.telegram) && Object.isFrozen(config.blink));
});

test('every variable is read', () => {
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: '1:x',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9/',
    TELEGRAM_UPLOAD_LIMIT_MB: '2000',
    DISCORD_TOKEN: 'd.t',
    DISCORD_APPLICATION_ID: '123456789012345678',
    DISCORD_API_ROOT: 'http://127.0.0.1:10/api',
    DISCORD_UPLOAD_LIMIT_MB: '25',
    BLINK_REST_URL: 'http://127.0.0.1:8080/rest-{tier}/',
    BLINK_OAUTH_URL: 'http://127.0.0.1:8081',
    DATABASE_PATH: '/tmp/x/y.sqlite',
    SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    ALLOWED_CHATS: 'tg:-100123, dc:12345678901234567890,,',
    ADMIN_USERS: 'tg:42',
    POLL_INTERVAL_SECONDS: '30',
    RETENTION_DAYS: '90',
    LOG_LEVEL: 'debug',
    TZ: 'Europe/Berlin',
    HTTP_PORT: '9464',
  });
  assert.equal(config.telegram?.apiRoot, 'http://127.0.0.1:9');
  assert.equal(config.telegram?.uploadLimitBytes, 2000 * 1024 * 1024);
  assert.deepEqual(config.discord, {
    token: 'd.t',
    applicationId: '123456789012345678',
    apiRoot: 'http://127.0.0.1:10/api',
    uploadLimitBytes: 25 * 1024 * 1024,
  });
  assert.equal(restUrlForTier(config.blink.restUrlTemplate, 'u011'), 'http://127.0.0.1:8080/rest-u011');
  assert.equal(config.databasePath, '/tmp/x/y.sqlite');
  assert.deepEqual(config.secretKey(), Buffer.alloc(32, 7));
  assert.deepEqual(config.allowedChats, [
    { platform: 'tg', id: '-100123' },
    { platform: 'dc', id: '12345678901234567890' },
  ]);
  assert.deepEqual(config.adminUsers.map(formatChatRef), ['tg:42']);
  assert.equal(config.pollIntervalSeconds, 30);
  assert.equal(config.retentionDays, 90);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.timeZone, 'Europe/Berlin');
  assert.equal(config.httpPort, 9464);
  assert.equal(JSON.stringify(config).includes(Buffer.alloc(32, 7).toString('hex')), false, 'key never serialised');
});

const badCases: [string, Record<string, string>][] = [
  ['ALLOWED_CHATS', { ALLOWED_CHATS: 'xx:1' }],
  ['ALLOWED_CHATS', { ALLOWED_CHATS: 'tg:12a' }],
  ['ADMIN_USERS', { ADMIN_USERS: 'dc:-5' }],
  ['POLL_INTERVAL_SECONDS', { POLL_INTERVAL_SECONDS: '29' }],
  ['POLL_INTERVAL_SECONDS', { POLL_INTERVAL_SECONDS: 'soon' }],
  ['RETENTION_DAYS', { RETENTION_DAYS: '0' }],
  ['RETENTION_DAYS', { RETENTION_DAYS: '3651' }],
  ['RETENTION_DAYS', { RETENTION_DAYS: '7.5' }],
  ['SECRET_KEY', { SECRET_KEY: 'abcd' }],
  ['SECRET_KEY', { SECRET_KEY: Buffer.alloc(31).toString('base64') }],
  ['BLINK_REST_URL', { BLINK_REST_URL: 'not a url {tier}' }],
  ['BLINK_OAUTH_URL', { BLINK_OAUTH_URL: 'ftp://x' }],
  ['TELEGRAM_API_ROOT', { TELEGRAM_API_ROOT: '127.0.0.1' }],
  ['DISCORD_API_ROOT', { DISCORD_API_ROOT: 'x' }],
  ['TELEGRAM_UPLOAD_LIMIT_MB', { TELEGRAM_UPLOAD_LIMIT_MB: '2001' }],
  ['TELEGRAM_UPLOAD_LIMIT_MB', { TELEGRAM_UPLOAD_LIMIT_MB: '0' }],
  ['DISCORD_UPLOAD_LIMIT_MB', { DISCORD_UPLOAD_LIMIT_MB: 'ten' }],
  ['HTTP_PORT', { HTTP_PORT: '65536' }],
  ['HTTP_PORT', { HTTP_PORT: '0' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['TZ', { TZ: 'Mars/Olympus_Mons' }],
  ['DISCORD_APPLICATION_ID', { DISCORD_TOKEN: 'x' }],
  ['DISCORD_APPLICATION_ID', { DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: 'abc' }],
];

for (const [name, env] of badCases) {
  test(`${name}=${JSON.stringify(Object.values(env).at(-1))} is refused with a line naming ${name}`, () => {
    const problems = problemsOf({ ...base, ...env });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.ok(problems[0]?.startsWith(`${name}: `), problems[0]);
  });
}

test('every problem is listed, one line each', () => {
  const problems = problemsOf({ ALLOWED_CHATS: 'xx:1,yy:2', HTTP_PORT: 'x', LOG_LEVEL: 'loud' }, true);
  assert.equal(problems.length, 5);
  assert.ok(problems.every((p) => !p.includes('\n')));
});

test('with requireFrontEnd and neither token, one line names both', () => {
  const problems = problemsOf({}, true);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /TELEGRAM_BOT_TOKEN/);
  assert.match(problems[0] ?? '', /DISCORD_TOKEN/);
  assert.deepEqual(problemsOf({}, false), []);
});

test('a bad SECRET_KEY is not repeated in the message', () => {
  const secret = 'zz'.repeat(32);
  const problems = problemsOf({ ...base, SECRET_KEY: secret });
  assert.equal(
    problems.some((p) => p.includes(secret)),
    false,
  );
});

test('blank values count as unset', () => {
  const config = loadConfig({ ...base, HTTP_PORT: '', SECRET_KEY: ' ', DISCORD_TOKEN: '' });
  assert.equal(config.httpPort, null);
  assert.equal(config.discord, null);
});

test('chat refs parse and format back', () => {
  assert.deepEqual(parseChatRef('tg:-100123'), { ok: true, ref: { platform: 'tg', id: '-100123' } });
  assert.deepEqual(parseChatRef(' dc:987654321098765432 '), { ok: true, ref: { platform: 'dc', id: '987654321098765432' } });
  assert.equal(parseChatRef('tg:').ok, false);
  assert.equal(parseChatRef('123').ok, false);
  assert.equal(formatChatRef({ platform: 'dc', id: '5' }), 'dc:5');
});

test('restUrlForTier fills every {tier}, keeps a path, and refuses odd tiers', () => {
  assert.equal(restUrlForTier('https://rest-{tier}.immedia-semi.com', 'prod'), 'https://rest-prod.immedia-semi.com');
  assert.equal(restUrlForTier('http://127.0.0.1:1/x/{tier}/', 'e006'), 'http://127.0.0.1:1/x/e006');
  assert.equal(restUrlForTier('http://127.0.0.1:1', 'prod'), 'http://127.0.0.1:1');
  assert.throws(() => restUrlForTier('https://rest-{tier}.x', 'evil.com/'));
});
