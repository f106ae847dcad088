/**
 * The chat contract (docs/chat-contract.md) §2-§4 and §6 over Telegram, black box: one real bot process (env only) against
 * the fake Bot API and the Blink simulator, shared by every check in this file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { startFakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import {
  ACCOUNT,
  EMAIL,
  FRONT_DOOR,
  HOME,
  PASSWORD,
  buttonsOf,
  messageIdOf,
  outputsTo,
  readRows,
  sha,
  shown,
  sleep,
  spawnBot,
  telegramUser,
} from './harness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { freePort } from '../helpers/loopback.js';

const ADMIN = 1; // in ADMIN_USERS, its private chat not allowlisted
const OWNER = 100;
const OWNER2 = 101;
const MEMBER = 300;
const GROUP = -100200;
const STRANGER = 555;
const OWNER3 = 102;
const EMAIL2 = 'second@example.com';
const EMAIL3 = 'third@example.com';
const PASSWORD2 = 'second-account-password';

test('Telegram: the contract, command by command, against the real process', { concurrency: true }, async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const second = sim.addAccount({
    email: EMAIL2,
    password: PASSWORD2,
    networks: [
      {
        name: 'Cabin',
        devices: [
          { family: 'camera', name: 'Garage' },
          { family: 'camera', name: 'Garden' },
        ],
      },
      {
        name: 'Shed',
        devices: [
          { family: 'camera', name: 'Barn' },
          { family: 'camera', name: 'Garage Side' },
        ],
      },
    ],
  });
  const third = sim.addAccount({
    email: EMAIL3,
    password: PASSWORD2,
    networks: [
      {
        name: 'Lake',
        syncModule: {
          name: 'Lake Sync',
          localStorage: true,
          usbClips: [
            { id: 9100001, camera: 'Dock', createdAt: sim.now() - 600_000, size: 1_111 },
            { id: 9100002, camera: 'Dock', createdAt: sim.now() - 300_000, size: 2_222 },
          ],
        },
        devices: [{ family: 'camera', name: 'Dock' }],
      },
    ],
  });
  void third;
  const fake = await startFakeTelegram();
  t.after(() => fake.close());
  const dir = tempDir(t);
  const dbPath = path.join(dir, 'data', 'bot.sqlite');
  const httpPort = await freePort();
  const bot = spawnBot(t, {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    DATABASE_PATH: dbPath,
    ALLOWED_CHATS: `tg:${OWNER},tg:${OWNER2},tg:${OWNER3},tg:${GROUP}`,
    ADMIN_USERS: `tg:${ADMIN}`,
    TZ: 'UTC',
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'debug',
  });
  await bot.waitForOutput(/"msg":"ready"/, 20_000);
  await fake.waitFor('deleteWebhook', { timeoutMs: 20_000 });
  const { say, press } = telegramUser(fake);

  const networkArmed = (id: number): boolean | undefined => sim.state.networks.get(id)?.armed;
  const cameraEnabled = (id: number): boolean | undefined => sim.state.devices.get(id)?.enabled;
  const [cabin = 0] = second.networkIds;
  const audit = (): Record<string, unknown>[] => readRows(dbPath, 'SELECT actor, chat, action, target, result FROM audit_log ORDER BY id');

  const outputsSince = (chatId: number, since: number): RecordedCall[] => outputsTo(fake, chatId, since);
  const homescreen = (accountId: number): RegExp => new RegExp(`/accounts/${accountId}/homescreen`);

  const laneA = async (): Promise<void> => {
    await t.test('§4 /login: email, password (deleted at once), 2FA code as the plain next message', async () => {
      sim.setTwoFactor(EMAIL, '412');
      await say(OWNER, OWNER, '/login', /email/i);
      await say(OWNER, OWNER, EMAIL, /password/i);
      const since = fake.calls.length;
      const passwordMessageId = fake.sendUserMessage({ chatId: OWNER, userId: OWNER, text: PASSWORD });
      await fake.waitFor((c) => outputsTo(fake, OWNER, since).includes(c) && /code|pin/i.test(shown(c)), { since, timeoutMs: 10_000 });
      assert.ok(
        fake.callsOf('deleteMessage').some((c) => Number(c.params['message_id']) === passwordMessageId && c.response.ok),
        'the message holding the password is deleted',
      );
      const pin = sim.currentPin(EMAIL);
      assert.ok(pin, 'Blink asked for a code');
      await say(OWNER, OWNER, pin, /logged in|linked/i);
    });

    await t.test('§4 /status: network armed state and camera fields', async () => {
      const status = await say(OWNER, OWNER, '/status', /Front Door/);
      const text = shown(status);
      assert.match(text, /Home/);
      assert.match(text, /armed/i);
      for (const camera of ['Front Door', 'Living Room', 'Porch']) assert.match(text, new RegExp(camera));
      assert.match(text, /battery/i);
      assert.match(text, /wi-?fi/i);
    });

    await t.test('§4 /arm and /disarm with one network: the reply is the state Blink reports', async () => {
      await say(OWNER, OWNER, '/disarm', /Home[\s\S]*disarmed/i);
      assert.equal(networkArmed(HOME), false);
      await say(OWNER, OWNER, '/arm', /Home[\s\S]*armed/i);
      assert.equal(networkArmed(HOME), true);
      // Blink fails the command: the bot must not claim it disarmed. Only this disarm fails:
      // the other lanes' commands run meanwhile.
      sim.failNextCommand(1, { kind: 'disarm', networkId: HOME });
      const failed = await say(OWNER, OWNER, '/disarm', /./);
      assert.equal(networkArmed(HOME), true);
      assert.doesNotMatch(shown(failed), /Home is disarmed/i, 'a failed command is not reported as done');
    });

    await t.test('§4 /motion <camera> on|off', async () => {
      await say(OWNER, OWNER, '/motion porch on', /Porch[\s\S]*on/);
      assert.equal(cameraEnabled(6001), true);
      await say(OWNER, OWNER, '/motion Front Door off', /Front Door[\s\S]*off/);
      assert.equal(cameraEnabled(FRONT_DOOR), false);
      await say(OWNER, OWNER, '/motion front on', /Front Door[\s\S]*on/);
      assert.equal(cameraEnabled(FRONT_DOOR), true);
    });

    await t.test('§4 /snap sends the NEW picture, not the previous thumbnail', async () => {
      const before = sim.state.devices.get(FRONT_DOOR)?.thumbnailTs ?? 0;
      const photo = await say(OWNER, OWNER, '/snap front', /Front Door/, 'sendPhoto');
      const after = sim.state.devices.get(FRONT_DOOR)?.thumbnailTs ?? 0;
      assert.notEqual(after, before, 'the simulator took a new picture');
      const bytes = photo.files[0]?.bytes;
      assert.ok(bytes, 'a photo was uploaded');
      assert.equal(sha(bytes), sha(sim.expectedThumbnailBytes(FRONT_DOOR, after)), 'the uploaded photo is the new picture');
    });

    const clipIds: number[] = [];
    await t.test('§4 /clips: the 10 newest non-deleted clips, each with a button that sends it', async () => {
      const now = sim.now();
      for (let i = 0; i < 12; i++) clipIds.push(sim.addClip({ cameraId: FRONT_DOOR, createdAt: now - 1000 * (i + 1), size: 4096 }));
      const [deleted = 0, newest = 0] = clipIds;
      sim.deleteClip(deleted);
      const list = await say(OWNER, OWNER, '/clips', new RegExp(String(newest)));
      const text = shown(list);
      assert.doesNotMatch(text, new RegExp(String(deleted)), 'a deleted clip is not listed');
      const expected = clipIds.slice(1, 11);
      for (const id of expected) assert.match(text, new RegExp(String(id)), `clip ${id} listed`);
      assert.doesNotMatch(text, new RegExp(String(clipIds[11])), 'only 10');
      const clipButtons = buttonsOf(list).filter((b) => b.text !== 'More');
      assert.equal(clipButtons.length, 10, 'one button per clip');
      const video = await press(OWNER, OWNER, list, 0, /Front Door/, 'sendVideo');
      assert.equal(sha(video.files[0]?.bytes), sha(sim.expectedClipBytes(newest)));
      const living = await say(OWNER, OWNER, '/clips living', /Living Room/);
      assert.doesNotMatch(shown(living), new RegExp(String(newest)), '/clips <camera> lists only that camera');
    });

    await t.test('§4 /clip <id> sends that clip as a video', async () => {
      const id = clipIds[3] ?? 0;
      const video = await say(OWNER, OWNER, `/clip ${id}`, /Front Door/, 'sendVideo');
      assert.equal(sha(video.files[0]?.bytes), sha(sim.expectedClipBytes(id)));
    });
  };

  const laneB = async (): Promise<void> => {
    await t.test('§4 /login without 2FA for a second account; /login in a group is refused', async () => {
      await say(OWNER2, OWNER2, '/login', /email/i);
      await say(OWNER2, OWNER2, EMAIL2, /password/i);
      await say(OWNER2, OWNER2, PASSWORD2, /logged in|linked/i);
      await say(GROUP, MEMBER, '/login', /private/i);
    });

    await t.test('§4 [network] is required with two networks; names match case-insensitively, whole then prefix', async () => {
      const ask = await say(OWNER2, OWNER2, '/arm', /Cabin[\s\S]*Shed|Shed[\s\S]*Cabin/);
      assert.equal(networkArmed(cabin), false, 'nothing armed without a network');
      void ask;
      await say(OWNER2, OWNER2, '/arm CAB', /Cabin[\s\S]*armed/i);
      assert.equal(networkArmed(cabin), true);
      await say(OWNER2, OWNER2, '/disarm cabin', /Cabin[\s\S]*disarmed/i);
      assert.equal(networkArmed(cabin), false);
      await say(OWNER2, OWNER2, '/arm nowhere', /Cabin[\s\S]*Shed|Shed[\s\S]*Cabin/);
      // "gar" is ambiguous: Garage, Garage Side, Garden are all listed.
      const ambiguous = await say(OWNER2, OWNER2, '/snap gar', /Garage[\s\S]*Garden|Garden[\s\S]*Garage/);
      assert.match(shown(ambiguous), /Garage Side/);
      // The whole name wins over being a prefix of "Garage Side".
      const garage = second.deviceIds[0] ?? 0;
      await say(OWNER2, OWNER2, '/snap garage', /Garage/, 'sendPhoto');
      void garage;
      const unknown = await say(OWNER2, OWNER2, '/motion zzz on', /Barn/);
      for (const name of ['Garage', 'Garden', 'Garage Side']) assert.match(shown(unknown), new RegExp(name));
    });

    await t.test('§3 a linked group: members control, only the owner unlinks, actions audited with who', async () => {
      await say(GROUP, OWNER2, '/link', /./);
      await say(GROUP, MEMBER, '/arm cabin', /Cabin[\s\S]*armed/i);
      assert.equal(networkArmed(cabin), true);
      await say(GROUP, MEMBER, '/motion barn off', /Barn[\s\S]*off/);
      const refused = await say(GROUP, MEMBER, '/unlink', /./);
      assert.doesNotMatch(shown(refused), /^Unlinked/);
      const link = readRows(dbPath, 'SELECT * FROM chat_links WHERE chat = ?', `tg:${GROUP}`);
      assert.equal(link.length, 1, 'the group stays linked');
      const rows = audit();
      for (const action of ['arm', 'motion']) {
        assert.ok(
          rows.some((r) => r['actor'] === `tg:${MEMBER}` && r['chat'] === `tg:${GROUP}` && String(r['action']).includes(action)),
          `${action} by the member recorded: ${JSON.stringify(rows)}`,
        );
      }
      await say(GROUP, OWNER2, '/unlink', /Unlinked/);
      assert.equal(readRows(dbPath, 'SELECT * FROM chat_links WHERE chat = ?', `tg:${GROUP}`).length, 0);
    });
  };

  const laneC = async (): Promise<void> => {
    await t.test('§4 /login for a third account', async () => {
      await say(OWNER3, OWNER3, '/login', /email/i);
      await say(OWNER3, OWNER3, EMAIL3, /password/i);
      await say(OWNER3, OWNER3, PASSWORD2, /logged in|linked/i);
    });

    await t.test('§4 /start and /help list the commands', async () => {
      const help = await say(OWNER3, OWNER3, '/help', /\/status/);
      for (const name of [
        'login',
        'pin',
        'logout',
        'link',
        'unlink',
        'status',
        'arm',
        'disarm',
        'motion',
        'snap',
        'clips',
        'clip',
        'local',
        'localclip',
        'alerts',
        'mute',
        'quiet',
      ]) {
        assert.match(shown(help), new RegExp(`/${name}\\b`), `/help names /${name}`);
      }
      await say(OWNER3, OWNER3, '/start', /\/login/);
    });

    await t.test('§4 /local lists local-storage clips with buttons; /localclip fetches one', async () => {
      const local = await say(OWNER3, OWNER3, '/local', /9100002/);
      assert.equal(buttonsOf(local).length, 2, 'a button per local clip');
      const video = await press(OWNER3, OWNER3, local, 0, /./, 'sendVideo');
      assert.ok((video.files[0]?.size ?? 0) > 0);
      const clip = await say(OWNER3, OWNER3, '/localclip 9100001', /./, 'sendVideo');
      assert.equal(clip.files[0]?.size, sim.expectedClipBytes(9100001).length, 'the whole local clip, as the manifest says');
    });

    await t.test('§4 /alerts, /mute, /quiet argument syntax', async () => {
      await say(OWNER3, OWNER3, '/alerts off', /off/);
      await say(OWNER3, OWNER3, '/alerts on dock', /Dock[\s\S]*on/);
      await say(OWNER3, OWNER3, '/alerts on', /on/);
      for (const d of ['30m', '1h', '8h', '1d']) await say(OWNER3, OWNER3, `/mute dock ${d}`, /Dock[\s\S]*until/);
      await say(OWNER3, OWNER3, '/mute all 1h', /until/);
      await say(OWNER3, OWNER3, '/mute off', /ended|again/i);
      const bad = await say(OWNER3, OWNER3, '/mute dock forever', /./);
      assert.doesNotMatch(shown(bad), /until/, 'a bad duration is refused');
      await say(OWNER3, OWNER3, '/quiet 22:00-07:00', /22:00[\s\S]*07:00/);
      await say(OWNER3, OWNER3, '/quiet off', /off/i);
      const badQuiet = await say(OWNER3, OWNER3, '/quiet 25:00-07:00', /./);
      assert.doesNotMatch(shown(badQuiet), /Quiet hours 25/, 'a bad time is refused');
    });
  };

  // Telegram throttles each chat (≈1 message/s, groups 20/min), so chats run side by side.
  await Promise.all([laneA(), laneB(), laneC()]);

  await t.test('§3 strangers: one short reply naming the chat id, no Blink call', async () => {
    sim.resetCounts();
    const logBefore = sim.requestLog().length;
    const since = fake.calls.length;
    const first = await say(STRANGER, STRANGER, '/status', new RegExp(`tg:${STRANGER}`));
    const list = fake.callsOf('sendMessage').find((c) => Number(c.params['chat_id']) === OWNER && buttonsOf(c).length > 0);
    assert.ok(list, 'an earlier message with buttons');
    // A button of the owner's list pressed in a stranger's chat (a forwarded or replayed press).
    fake.pressButton({ chatId: STRANGER, userId: STRANGER, messageId: messageIdOf(first), data: buttonsOf(list)[0]?.callback_data ?? '', force: true });
    const strangerGroup = -100999;
    fake.sendUserMessage({ chatId: strangerGroup, userId: MEMBER, text: '/arm' });
    await fake.waitFor((c) => c.method === 'answerCallbackQuery', { since, timeoutMs: 15_000 });
    await fake.waitFor((c) => isTo(c, strangerGroup), { since, timeoutMs: 15_000 });
    // Real time on purpose: a child process, and "one reply each" has no later event to wait
    // for; a second reply would follow within the Telegram throttle's 1 s spacing per chat.
    await sleep(1500);
    const toStranger = fake.calls.filter((c) => c.seq > since && isTo(c, STRANGER) && c.method !== 'sendChatAction');
    const answers = fake.calls.filter((c) => c.seq > since && c.method === 'answerCallbackQuery' && String(c.params['text'] ?? '').length > 0);
    assert.equal(toStranger.length + answers.length, 2, 'one reply per command or button press');
    for (const c of toStranger) assert.match(shown(c), new RegExp(`tg:${STRANGER}`));
    const toGroup = fake.calls.filter((c) => c.seq > since && isTo(c, strangerGroup) && c.method !== 'sendChatAction');
    assert.equal(toGroup.length, 1);
    assert.match(shown(toGroup[0] as RecordedCall), new RegExp(`tg:${strangerGroup}`));
    // The poller's change check may run meanwhile (it is not the stranger's): nothing else.
    assert.deepEqual(
      sim
        .requestLog()
        .slice(logBefore)
        .filter((r) => !r.routeClass.endsWith('/media/changed'))
        .map((r) => r.routeClass),
      [],
      'no Blink request for a stranger',
    );
    assert.equal(networkArmed(HOME), true);
  });

  await t.test('§3 admins /allow and /deny from a chat that is not allowlisted; others may not', async () => {
    const NEWCOMER = 777;
    await say(OWNER, OWNER, `/allow tg:${NEWCOMER}`, /./).then((c) => assert.doesNotMatch(shown(c), /may now use/));
    await say(ADMIN, ADMIN, `/allow tg:${NEWCOMER}`, new RegExp(`tg:${NEWCOMER}`));
    const served = await say(NEWCOMER, NEWCOMER, '/status', /./);
    assert.doesNotMatch(shown(served), /not allowed/i, 'an allowed chat is served');
    await say(ADMIN, ADMIN, `/deny tg:${NEWCOMER}`, new RegExp(`tg:${NEWCOMER}`));
    await say(NEWCOMER, NEWCOMER, '/status', new RegExp(`tg:${NEWCOMER}`));
    const other = await say(ADMIN, ADMIN, '/status', /./);
    assert.match(shown(other), new RegExp(`tg:${ADMIN}`), 'the admin chat itself stays a stranger for other commands');
  });

  await t.test('§6 a short Retry-After is waited out invisibly', async () => {
    sim.injectFault({ path: homescreen(ACCOUNT), status: 429, retryAfterSec: 1 });
    const since = fake.calls.length;
    await say(OWNER, OWNER, '/status', /Front Door/);
    for (const c of outputsSince(OWNER, since)) assert.doesNotMatch(shown(c), /busy|try again|rate/i);
  });

  await t.test('§6 Blink 5xx gets a clear reply; other chats keep working', async () => {
    sim.injectFault({ path: homescreen(ACCOUNT), status: 503, times: Infinity });
    await say(OWNER, OWNER, '/status', /unavailable|try again|later|not answer/i, undefined, 30_000);
    await say(OWNER2, OWNER2, '/status', /Garage/);
    sim.clearFaults();
    await say(OWNER, OWNER, '/status', /Front Door/);
  });

  await t.test('§6 an expired access token is refreshed silently', async () => {
    sim.expireAccessTokens(ACCOUNT);
    sim.resetCounts();
    const since = fake.calls.length;
    await say(OWNER, OWNER, '/status', /Front Door/);
    // Real time on purpose (short): a login or expiry message after the answer would follow within 300 ms.
    await sleep(300);
    for (const c of outputsSince(OWNER, since)) assert.doesNotMatch(shown(c), /login|expired|token|session/i);
    assert.ok(
      sim.requestLog().some((r) => /token/.test(r.path)),
      'the bot refreshed its token',
    );
  });

  await t.test('§6 a long Retry-After gets a clear busy reply; other chats keep working', async () => {
    sim.injectFault({ path: homescreen(ACCOUNT), status: 429, retryAfterSec: 600, times: Infinity });
    await say(OWNER, OWNER, '/status', /busy|try again|later|rate/i, undefined, 15_000);
    await say(OWNER2, OWNER2, '/status', /Garage/);
    sim.clearFaults();
  });

  await t.test('§1 HTTP_PORT serves /healthz and /metrics on 127.0.0.1', async () => {
    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    assert.equal(health.status, 200);
    const metrics = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^# (HELP|TYPE) /m);
  });

  await t.test('§4 /logout ends the session and deletes tokens and links', async () => {
    await say(OWNER2, OWNER2, '/logout', /Logged out/i);
    const rows = readRows(dbPath, 'SELECT * FROM blink_sessions WHERE owner_user_id = ?', `tg:${OWNER2}`);
    assert.equal(rows.length, 0);
    await say(OWNER2, OWNER2, '/status', /login/i);
  });

  await t.test('§2 secrets never appear in the output at LOG_LEVEL=debug, nor in the database file', async () => {
    const output = bot.stdout() + bot.stderr();
    assert.ok(output.length > 0, 'the bot logged something');
    assert.ok(!output.includes(fake.token), 'bot token');
    assert.ok(!output.includes(fake.token.split(':')[1] ?? '\u0000'), 'bot token secret part');
    assert.ok(!output.includes(PASSWORD) && !output.includes(PASSWORD2), 'Blink password');
    assert.doesNotMatch(output, /eyJhbGciOiJSUzI1NiJ9\./, 'access token');
    assert.doesNotMatch(output, /rt-[0-9a-f]{32}/, 'refresh token');
    assert.doesNotMatch(output, /ac-[0-9a-f]{24}/, 'OAuth code');
    const pin = sim.lastIssuedPin();
    if (pin !== null) assert.doesNotMatch(output, new RegExp(`\\b${pin}\\b`), '2FA code');
    const key = readFileSync(path.join(path.dirname(dbPath), 'secret.key'));
    assert.ok(!output.includes(key.toString('hex')) && !output.includes(key.toString('base64')), 'SECRET_KEY');
    for (const file of [dbPath, `${dbPath}-wal`]) {
      if (existsSync(file)) assert.equal(readFileSync(file).includes(Buffer.from(PASSWORD)), false, `password in ${file}`);
    }
    for (const c of fake.calls) {
      const text = JSON.stringify(c.params);
      assert.ok(!text.includes(PASSWORD.slice(0, 12)) || c.method === 'getUpdates', `password in a ${c.method} call`);
    }
  });
});

function isTo(c: RecordedCall, chatId: number): boolean {
  return String(c.params['chat_id']) === String(chatId);
}
