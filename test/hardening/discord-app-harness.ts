/**
 * The whole bot as `main` builds it (createApp) with only the Discord front end, against the
 * Blink simulator and the fake Discord on 127.0.0.1:0, every log line captured at debug
 * level. The Discord twin of app-harness.ts: used by the Discord security, alert and fault
 * tests. Blink waits are shortened through createApp's `blink` option, as there.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { bootApp, startHarnessSim, type BootedApp, type HarnessOptions } from './boot-app.js';
import type { BlinkSimulator } from '../../src/simulator/index.js';
import { startFakeDiscord, type FakeDiscord, type InteractionHandle, type InteractionResult, type RecordedMessage } from '../helpers/fake-discord/index.js';
import { EMAIL, PASSWORD } from './app-harness.js';
import { until } from '../helpers/until.js';
import { CHANNEL, DM_CHANNEL as OWNER_DM, GUILD, TWO_GUILDS, USER as OWNER } from '../helpers/discord-world.js';

export { CHANNEL, EPHEMERAL, GUILD, OTHER_CHANNEL, OTHER_GUILD, MEMBER, USER as OWNER, DM_CHANNEL as OWNER_DM } from '../helpers/discord-world.js';
export const STRANGER = '400000000000000003';
const ADMIN = '400000000000000004';
/** The DM channel id the fake uses in the stranger's interactions (the chat key of a DM is the user id). */
export const STRANGER_DM = '500000000000000003';
export const SUPPRESS_NOTIFICATIONS = 4096;

export interface Where {
  userId: string;
  channelId: string;
  guildId?: string;
  /** Interaction context (default: 0 in a guild, 1 the bot's DM); 2 is someone else's DM. */
  context?: 0 | 1 | 2;
}

export const ownerDm: Where = { userId: OWNER, channelId: OWNER_DM };
export const ownerInChannel: Where = { userId: OWNER, guildId: GUILD, channelId: CHANNEL };

export interface DiscordAppHarness extends BootedApp {
  sim: BlinkSimulator;
  fake: FakeDiscord;
  /** Every interaction handle sent, so a scan can look for their tokens. */
  handles: InteractionHandle[];
  /** Sends and waits for an edit or follow-up whose message matches. */
  answer(
    handle: InteractionHandle,
    test: (m: RecordedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<{ result: InteractionResult; message: RecordedMessage }>;
  /** A slash command, answered when a reply message matches `test`. */
  slash(where: Where, name: string, options: Record<string, string>, test: (m: RecordedMessage) => boolean): Promise<RecordedMessage>;
  /** The modal login (with the 2FA code when the simulator asks for one) of `where.userId`. */
  login(where?: Where): Promise<void>;
  sessionId(owner?: string): string;
}

export function customIds(message: RecordedMessage | undefined): string[] {
  return [...JSON.stringify(message?.components ?? []).matchAll(/"custom_id":"([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** The custom_id of the button labelled `label` in `message`. */
export function buttonLabelled(message: RecordedMessage, label: string): string {
  const found = [...JSON.stringify(message.components).matchAll(/"label":"([^"]+)","custom_id":"([^"]+)"|"custom_id":"([^"]+)"[^}]*?"label":"([^"]+)"/g)]
    .map((m) => (m[1] !== undefined ? [m[1], m[2]] : [m[4], m[3]]))
    .find(([l]) => l === label)?.[1];
  assert.ok(found, `a "${label}" button in ${JSON.stringify(message.components)}`);
  return found;
}

export async function startDiscordApp(t: TestContext, options: HarnessOptions = {}): Promise<DiscordAppHarness> {
  const sim = await startHarnessSim(options);
  const fake = await startFakeDiscord({
    guilds: TWO_GUILDS,
    heartbeatIntervalMs: 500,
  });
  const booted = await bootApp(t, {
    sim,
    frontEndEnv: { DISCORD_TOKEN: fake.botToken, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_ROOT: fake.apiRoot },
    allowed: options.allowed ?? [`dc:${OWNER}`, `dc:${CHANNEL}`],
    admin: `dc:${ADMIN}`,
    options,
    closeFake: () => fake.close(),
  });
  const { app } = booted;
  const discord = app.frontEnds.find((f) => f.name === 'discord');
  assert.ok(discord);
  await until(() => discord.connected() && fake.commandRegistrations > 0, 'the Discord front end ready and commands registered', 15_000);

  const handles: InteractionHandle[] = [];
  const track = (handle: InteractionHandle): InteractionHandle => {
    handles.push(handle);
    return handle;
  };
  const answered = (r: InteractionResult, test: (m: RecordedMessage) => boolean): RecordedMessage | undefined =>
    r.events.find((e) => (e.kind === 'edit' || e.kind === 'followup') && e.message !== undefined && test(e.message))?.message;

  const harness: DiscordAppHarness = {
    ...booted,
    sim,
    fake,
    handles,
    async answer(handle, test, timeoutMs = 15_000) {
      track(handle);
      const result = await fake.waitForInteractionResponse(handle, (r) => answered(r, test) !== undefined, timeoutMs);
      const message = answered(result, test);
      assert.ok(message, `no matching answer: ${JSON.stringify(result.events.map((e) => e.message?.content))}`);
      return { result, message };
    },
    async slash(where, name, opts, test) {
      return (await harness.answer(fake.sendSlashCommand({ name, options: opts, ...where }), test)).message;
    },
    async login(where = ownerDm) {
      const opened = await fake.waitForInteractionResponse(track(fake.sendSlashCommand({ name: 'login', ...where })));
      assert.equal(opened.events[0]?.callbackType, 9, 'a modal');
      const submitted = fake.submitModal({ customId: 'login', fields: { email: EMAIL, password: PASSWORD }, ...where });
      const { message } = await harness.answer(submitted, (m) => /code|logged in|linked/i.test(m.content));
      if (/logged in|linked/i.test(message.content) && !/code/i.test(message.content)) return;
      const [button] = customIds(message);
      assert.ok(button !== undefined);
      const codeModal = await fake.waitForInteractionResponse(track(fake.pressButton({ customId: button, messageId: message.id, ...where })));
      assert.equal(codeModal.events[0]?.callbackType, 9, 'the code button opens a modal');
      const modalId = /"custom_id":"(i:[^"]+)"/.exec(JSON.stringify(codeModal.events[0]?.body))?.[1] ?? '';
      const code = fake.submitModal({ customId: modalId, fields: { code: sim.currentPin(EMAIL) ?? '' }, messageId: message.id, ...where });
      await harness.answer(code, (m) => /logged in|linked/i.test(m.content));
    },
    sessionId(owner = OWNER) {
      const session = app.repos.sessions.getByOwner(`dc:${owner}`);
      assert.ok(session, `a session of dc:${owner}`);
      return session.id;
    },
  };
  return harness;
}
