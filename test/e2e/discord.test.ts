/**
 * The chat contract (docs/chat-contract.md) §3-§4 on Discord, black box: the real process (env only) against the fake
 * Discord (REST + gateway) and the Blink simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { startFakeDiscord, type InteractionHandle, type InteractionResult } from '../helpers/fake-discord/index.js';
import { until } from '../helpers/until.js';
import { CHANNEL, DM_CHANNEL, EPHEMERAL, GUILD, MEMBER, OTHER_CHANNEL, OTHER_GUILD, TWO_GUILDS, USER } from '../helpers/discord-world.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EMAIL, FRONT_DOOR, HOME, PASSWORD, sha, spawnBot } from './harness.js';

const CONTRACT_OPTIONS = ['camera', 'network', 'clip', 'state', 'duration', 'hours', 'chat', 'code'];

/** Option names per command, from the contract's table; `true` = required. */
const EXPECTED: Record<string, Record<string, boolean>> = {
  help: {},
  login: {},
  pin: { code: true },
  logout: {},
  link: {},
  unlink: {},
  status: {},
  arm: { network: false },
  disarm: { network: false },
  motion: { camera: true, state: true },
  snap: { camera: true },
  pictures: { network: false },
  clips: { camera: false },
  clip: { clip: true },
  local: { network: false },
  localclip: { clip: true },
  alerts: { state: true, camera: false },
  mute: { camera: true, duration: false },
  quiet: { hours: true },
  allow: { chat: true },
  deny: { chat: true },
};

test('Discord: slash commands, modal login, first response within 3 s, allowlist', async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const fake = await startFakeDiscord({
    guilds: TWO_GUILDS,
    heartbeatIntervalMs: 1000,
  });
  t.after(() => fake.close());
  const env = {
    DISCORD_TOKEN: fake.botToken,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_ROOT: fake.apiRoot,
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    DATABASE_PATH: path.join(tempDir(t), 'bot.sqlite'),
    ALLOWED_CHATS: `dc:${USER},dc:${GUILD}`,
    TZ: 'UTC',
    LOG_LEVEL: 'debug',
  };
  const bot = spawnBot(t, env);
  await bot.waitForOutput(/"msg":"ready"/, 20_000);
  await fake.waitForGateway();
  await until(() => fake.registeredCommands('global').length > 0, 'slash-command registration', 15_000, 100);

  const hasContent =
    (pattern: RegExp) =>
    (r: InteractionResult): boolean =>
      r.events.some((e) => pattern.test(e.message?.content ?? '') || pattern.test(JSON.stringify(e.message?.embeds ?? [])));
  const answer = async (handle: InteractionHandle, pattern: RegExp, timeoutMs = 10_000): Promise<InteractionResult> => {
    const result = await fake.waitForInteractionResponse(handle, hasContent(pattern), timeoutMs).catch((error: unknown) => {
      throw new Error(`no reply matching ${String(pattern)}`, { cause: error });
    });
    assert.ok(result.firstCallbackMs !== undefined && result.firstCallbackMs < 3000, `first response within 3 s (${result.firstCallbackMs} ms)`);
    return result;
  };

  await t.test('§4 every command except /start is a top-level slash command with the contract option names', () => {
    const registered = fake.registeredCommands('global');
    const byName = new Map(registered.map((c) => [String(c['name']), c]));
    assert.equal(byName.has('start'), false, 'no /start');
    for (const [name, options] of Object.entries(EXPECTED)) {
      const command = byName.get(name);
      assert.ok(command, `/${name} registered`);
      const raw = command['options'];
      const got = Array.isArray(raw) ? (raw as unknown[]) : [];
      const names: Record<string, boolean> = {};
      for (const o of got) {
        if (o !== null && typeof o === 'object' && 'name' in o) names[String(o.name)] = 'required' in o && o.required === true;
        if (o !== null && typeof o === 'object' && 'name' in o && ['camera', 'network', 'clip'].includes(String(o.name))) {
          assert.ok('autocomplete' in o && o.autocomplete === true, `/${name} ${String(o.name)} autocompletes`);
        }
      }
      for (const [option, required] of Object.entries(options)) assert.equal(names[option], required, `/${name} ${option} required=${required}`);
      // Beyond the table: only optional options with the contract's names (e.g. /localclip network).
      for (const [option, required] of Object.entries(names)) {
        if (option in options) continue;
        assert.ok(CONTRACT_OPTIONS.includes(option) && !required, `/${name} has an extra option ${option} (required=${required})`);
      }
    }
  });

  await t.test('§4 /login in an allowlisted DM opens a modal; the login replies are ephemeral and link no channel', async () => {
    const opened = fake.sendSlashCommand({ name: 'login', userId: USER, channelId: DM_CHANNEL });
    const modal = await fake.waitForInteractionResponse(opened);
    assert.equal(modal.events[0]?.callbackType, 9, 'a modal');
    assert.ok((modal.firstCallbackMs ?? Infinity) < 3000);
    const customId = JSON.stringify(modal.events[0]?.body).match(/"custom_id":"([^"]+)"/)?.[1] ?? 'login';
    const submit = fake.submitModal({ customId, fields: { email: EMAIL, password: PASSWORD }, userId: USER, channelId: DM_CHANNEL });
    const done = await answer(submit, /logged in|linked/i);
    for (const e of done.events) if (e.message) assert.equal((e.message.flags ?? 0) & EPHEMERAL, EPHEMERAL, `ephemeral: ${e.message.content}`);
    const sent = JSON.stringify(fake.calls().map((c) => c.body));
    assert.ok(!sent.includes(PASSWORD), 'the password is never echoed');
  });

  await t.test('§3 /link in an allowlisted channel; members may control; /status and /arm', async () => {
    await answer(fake.sendSlashCommand({ name: 'link', userId: USER, guildId: GUILD, channelId: CHANNEL }), /link/i);
    await answer(fake.sendSlashCommand({ name: 'status', userId: MEMBER, guildId: GUILD, channelId: CHANNEL }), /Front Door/);
    await answer(fake.sendSlashCommand({ name: 'disarm', userId: MEMBER, guildId: GUILD, channelId: CHANNEL }), /Home[\s\S]*disarmed/i);
    assert.equal(sim.state.networks.get(HOME)?.armed, false);
    await answer(fake.sendSlashCommand({ name: 'arm', options: { network: 'home' }, userId: MEMBER, guildId: GUILD, channelId: CHANNEL }), /Home[\s\S]*armed/i);
    assert.equal(sim.state.networks.get(HOME)?.armed, true);
    await answer(fake.sendSlashCommand({ name: 'unlink', userId: MEMBER, guildId: GUILD, channelId: CHANNEL }), /./);
  });

  await t.test('§4 /snap camera:<prefix> sends the new picture', async () => {
    const before = sim.state.devices.get(FRONT_DOOR)?.thumbnailTs;
    const result = await fake.waitForInteractionResponse(
      fake.sendSlashCommand({ name: 'snap', options: { camera: 'FRONT' }, userId: USER, guildId: GUILD, channelId: CHANNEL }),
      (r) => r.events.some((e) => (e.message?.attachments.length ?? 0) > 0),
      10_000,
    );
    const after = sim.state.devices.get(FRONT_DOOR)?.thumbnailTs ?? 0;
    assert.notEqual(after, before);
    const file = result.events.flatMap((e) => e.message?.attachments ?? [])[0];
    assert.equal(sha(file?.bytes), sha(sim.expectedThumbnailBytes(FRONT_DOOR, after)));
  });

  await t.test('§3 a channel that is not allowlisted: one reply naming its id, no Blink call', async () => {
    const before = sim.requestLog().length;
    const result = await answer(fake.sendSlashCommand({ name: 'status', userId: USER, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL }), /dc:\d+/);
    const text = result.events.map((e) => e.message?.content ?? '').join('\n');
    assert.ok(text.includes(`dc:${OTHER_CHANNEL}`) || text.includes(`dc:${OTHER_GUILD}`), text);
    // The poller's change check may run meanwhile (it is not the command's): nothing else.
    const asked = sim
      .requestLog()
      .slice(before)
      .filter((r) => !r.routeClass.endsWith('/media/changed'));
    assert.deepEqual(
      asked.map((r) => r.routeClass),
      [],
    );
  });

  const output = bot.stdout() + bot.stderr();
  assert.ok(!output.includes(fake.botToken), 'the bot token never appears at LOG_LEVEL=debug');
  assert.ok(!output.includes(PASSWORD), 'the password never appears');

  await t.test('a restart with unchanged commands registers nothing again', async () => {
    assert.equal(await bot.stop(), 0);
    const registrations = fake.commandRegistrations;
    const again = spawnBot(t, env);
    await again.waitForOutput(/"msg":"ready"/, 20_000);
    await fake.waitForGateway();
    await again.waitForOutput(/slash commands unchanged/, 15_000);
    assert.equal(fake.commandRegistrations, registrations);
    assert.equal(await again.stop(), 0);
  });
});
