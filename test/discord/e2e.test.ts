/**
 * The contract over Discord through real components: fake Discord ⇄ discord.js ⇄ the
 * Discord front end ⇄ real dispatcher, SQLite (temp file, real migrations) and the Blink
 * simulator. Only the two outside services are fakes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { createDiscordAutocomplete } from '../../src/app/discord-autocomplete.js';
import { discordSlashCommands } from '../../src/core/registry.js';
import type { InteractionHandle, InteractionResult, RecordedMessage } from '../helpers/fake-discord/index.js';
import { createHarness, EMAIL, PASSWORD, type Harness as CoreHarness } from '../core/harness.js';
import { CHANNEL, DM_CHANNEL, GUILD, OTHER_CHANNEL, OTHER_GUILD, USER, startFake, startFrontEnd } from './harness.js';

const EPHEMERAL = 64;
const FRONT_DOOR = 4001;
const HOME = 2001;
const dm = { userId: USER, channelId: DM_CHANNEL };
const stranger = { userId: USER, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL };

type Fake = Awaited<ReturnType<typeof startFake>>;

interface Stack {
  core: CoreHarness;
  fake: Fake;
  /** Waits for an edit or follow-up whose message matches. */
  answer(handle: InteractionHandle, test: (m: RecordedMessage) => boolean): Promise<{ result: InteractionResult; message: RecordedMessage }>;
  choices(result: InteractionResult): string[];
}

async function startStack(t: TestContext, fakeOptions: Parameters<typeof startFake>[1] = {}): Promise<Stack> {
  const core = await createHarness(t);
  const fake = await startFake(t, fakeOptions);
  await startFrontEnd(t, fake, {
    dispatcher: core.dispatcher,
    slashCommands: discordSlashCommands(),
    autocomplete: createDiscordAutocomplete({ repos: core.repos, sessions: core.sessions, clock: core.clock }),
  });
  const answered = (r: InteractionResult, test: (m: RecordedMessage) => boolean): RecordedMessage | undefined =>
    r.events.find((e) => (e.kind === 'edit' || e.kind === 'followup') && e.message !== undefined && test(e.message))?.message;
  return {
    core,
    fake,
    async answer(handle, test) {
      const result = await fake.waitForInteractionResponse(handle, (r) => answered(r, test) !== undefined, 15_000);
      const message = answered(result, test);
      assert.ok(message);
      return { result, message };
    },
    choices(result) {
      const body = result.events.find((e) => e.callbackType === 8)?.body;
      const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
      const list = typeof data === 'object' && data !== null && 'choices' in data && Array.isArray(data.choices) ? data.choices : [];
      return list.map((c: unknown) => (typeof c === 'object' && c !== null && 'value' in c ? String(c.value) : ''));
    },
  };
}

function customIds(message: RecordedMessage | undefined): string[] {
  return [...JSON.stringify(message?.components ?? []).matchAll(/"custom_id":"([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** Logs USER in from the DM with 2FA, through the modal, the code button and the code modal. */
async function loginWithCode(s: Stack): Promise<void> {
  const { core, fake } = s;
  core.repos.allowlist.add(`dc:${USER}`, 'env', core.clock.now());
  core.sim.setTwoFactor(EMAIL, '412');
  const opened = await fake.waitForInteractionResponse(fake.sendSlashCommand({ name: 'login', ...dm }));
  assert.equal(opened.events[0]?.callbackType, 9, 'a modal');
  const submitted = fake.submitModal({ customId: 'login', fields: { email: EMAIL, password: PASSWORD }, ...dm });
  const { message: asked } = await s.answer(submitted, (m) => /code/i.test(m.content));
  const [button] = customIds(asked);
  assert.ok(button !== undefined && button.length <= 100);
  const codeModal = await fake.waitForInteractionResponse(fake.pressButton({ customId: button, messageId: asked.id, ...dm }));
  assert.equal(codeModal.events[0]?.callbackType, 9, 'the code button opens a modal');
  const modalId = /"custom_id":"(i:[^"]+)"/.exec(JSON.stringify(codeModal.events[0]?.body))?.[1] ?? '';
  const code = fake.submitModal({ customId: modalId, fields: { code: core.sim.currentPin(EMAIL) ?? '' }, messageId: asked.id, ...dm });
  await s.answer(code, (m) => /logged in|linked/i.test(m.content));
  assert.equal(core.repos.sessions.getByOwner(`dc:${USER}`)?.state, 'linked');
}

test('Discord journey: 2FA login by modals, status, arm/disarm, snap, clips and clip, byte-exact', async (t) => {
  const s = await startStack(t);
  const { core, fake } = s;

  await loginWithCode(s);
  const loginMessages = fake.channelMessages(DM_CHANNEL);
  assert.ok(loginMessages.length >= 2);
  for (const m of loginMessages) assert.equal(m.flags & EPHEMERAL, EPHEMERAL, `login reply not ephemeral: ${m.content}`);
  assert.equal(JSON.stringify(fake.calls()).includes(PASSWORD), false, 'password in a Discord call');
  for (const file of [core.dbPath, `${core.dbPath}-wal`]) {
    if (existsSync(file)) assert.equal(readFileSync(file).includes(Buffer.from(PASSWORD)), false, file);
  }

  await s.answer(fake.sendSlashCommand({ name: 'status', ...dm }), (m) => /Home: armed[\s\S]*Front Door[\s\S]*Porch/.test(m.content));

  await s.answer(fake.sendSlashCommand({ name: 'disarm', ...dm }), (m) => /Home is disarmed/.test(m.content));
  assert.equal(core.sim.state.networks.get(HOME)?.armed, false);
  await s.answer(fake.sendSlashCommand({ name: 'arm', options: { network: 'home' }, ...dm }), (m) => /Home is armed/.test(m.content));
  assert.equal(core.sim.state.networks.get(HOME)?.armed, true);

  const before = core.sim.state.devices.get(FRONT_DOOR)?.thumbnailTs;
  const snapped = await s.answer(fake.sendSlashCommand({ name: 'snap', options: { camera: 'front' }, ...dm }), (m) => m.attachments.length > 0);
  const after = core.sim.state.devices.get(FRONT_DOOR)?.thumbnailTs ?? 0;
  assert.notEqual(after, before, 'a new picture was taken');
  assert.ok(snapped.message.attachments[0]?.bytes.equals(core.sim.expectedThumbnailBytes(FRONT_DOOR, after)), 'the new picture, byte-exact');

  const ids = [0, 1].map((i) => core.sim.addClip({ cameraId: FRONT_DOOR, createdAt: core.sim.now() - i * 1000 - 1000, size: 4096 }));
  const listed = await s.answer(fake.sendSlashCommand({ name: 'clips', ...dm }), (m) => m.content.includes(String(ids[0])));
  const [first] = customIds(listed.message);
  assert.ok(first !== undefined);
  const pressed = await s.answer(fake.pressButton({ customId: first, messageId: listed.message.id, ...dm }), (m) => m.attachments.length > 0);
  assert.ok(pressed.message.attachments[0]?.bytes.equals(core.sim.expectedClipBytes(Number(ids[0]))), 'button clip byte-exact');
  const typed = await s.answer(fake.sendSlashCommand({ name: 'clip', options: { clip: String(ids[1]) }, ...dm }), (m) => m.attachments.length > 0);
  assert.ok(typed.message.attachments[0]?.bytes.equals(core.sim.expectedClipBytes(Number(ids[1]))), '/clip byte-exact');
});

test("autocomplete offers the camera, network and clip names of the caller's linked session", async (t) => {
  const s = await startStack(t);
  await loginWithCode(s);
  const clipId = s.core.sim.addClip({ cameraId: FRONT_DOOR, createdAt: s.core.sim.now() - 1000, size: 2048 });
  const ask = async (name: string, focused: string, value: string): Promise<string[]> =>
    s.choices(await s.fake.waitForInteractionResponse(s.fake.sendAutocomplete({ name, focused, value, ...dm })));
  assert.deepEqual(await ask('snap', 'camera', ''), ['Front Door', 'Living Room', 'Porch']);
  assert.deepEqual(await ask('snap', 'camera', 'po'), ['Porch']);
  assert.deepEqual(await ask('arm', 'network', ''), ['Home']);
  assert.ok((await ask('clip', 'clip', '')).includes(String(clipId)));
});

test('a stranger channel gets one ephemeral reply naming it, and Blink hears nothing', async (t) => {
  const s = await startStack(t);
  await loginWithCode(s);
  s.core.sim.resetCounts();
  const handle = s.fake.sendSlashCommand({ name: 'status', ...stranger });
  await s.answer(handle, (m) => m.content.includes(`dc:${OTHER_CHANNEL}`));
  // Real time on purpose (short): a wrong extra call would reach the fake over its real socket
  // within 50 ms, and nothing the bot does marks that none comes.
  await new Promise((r) => setTimeout(r, 50));
  const live = s.fake.channelMessages(OTHER_CHANNEL);
  assert.equal(live.length, 1);
  assert.equal(live[0]?.flags, EPHEMERAL, 'the not-allowed reply is ephemeral');
  // Autocomplete from the stranger channel: no choices and no Blink request either.
  const auto = await s.fake.waitForInteractionResponse(s.fake.sendAutocomplete({ name: 'snap', focused: 'camera', value: '', ...stranger }));
  assert.deepEqual(s.choices(auto), []);
  assert.equal(s.core.sim.requestCounts().total, 0);
});

test('a slow Blink call still gets the deferred first response at once and the answer later', async (t) => {
  const s = await startStack(t, { interactionDeadlineMs: 3000 });
  await loginWithCode(s);
  s.core.repos.allowlist.add(`dc:${GUILD}`, 'env', s.core.clock.now());
  await s.answer(s.fake.sendSlashCommand({ name: 'link', userId: USER, guildId: GUILD, channelId: CHANNEL }), (m) => /uses/.test(m.content));
  // 1.5 s keeps the test fast and under the harness's 2 s Blink request time-out.
  s.core.sim.injectFault({ path: 'homescreen', delayMs: 1500 });
  const handle = s.fake.sendSlashCommand({ name: 'status', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const { result } = await s.answer(handle, (m) => /Home: armed/.test(m.content));
  assert.equal(result.events[0]?.callbackType, 5, 'deferred');
  const edit = result.events.find((e) => e.kind === 'edit' && /Home: armed/.test(e.message?.content ?? ''));
  assert.ok(edit !== undefined && edit.atMs >= 1400, `answer after ${edit?.atMs} ms: the delay was not hit`);
  // Measured against the work, not the wall clock (a loaded machine slows both alike): the
  // deferral did not wait for the 1.5 s Blink call, it came at least 1 s before the answer.
  assert.ok(
    result.firstCallbackMs !== undefined && result.firstCallbackMs <= edit.atMs - 1000,
    `first response after ${result.firstCallbackMs} ms, answer after ${edit.atMs} ms`,
  );
});

test('autocomplete in a chat taken off the allowlist offers nothing and never reaches Blink', async (t) => {
  const s = await startStack(t);
  await loginWithCode(s);
  const { core, fake } = s;
  core.repos.allowlist.add(`dc:${GUILD}`, 'env', core.clock.now());
  await s.answer(fake.sendSlashCommand({ name: 'link', userId: USER, guildId: GUILD, channelId: CHANNEL }), (m) => /uses/.test(m.content));
  // Both chats still have a usable session (the link, the owner's own): only the allowlist stops them.
  core.repos.allowlist.remove(`dc:${GUILD}`);
  core.repos.allowlist.remove(`dc:${USER}`);
  core.sim.resetCounts();
  for (const where of [{ userId: USER, guildId: GUILD, channelId: CHANNEL }, dm]) {
    for (const [name, focused] of [
      ['snap', 'camera'],
      ['arm', 'network'],
      ['clip', 'clip'],
    ] as const) {
      const result = await fake.waitForInteractionResponse(fake.sendAutocomplete({ name, focused, value: '', ...where }));
      assert.deepEqual(s.choices(result), [], `${focused} in ${where.channelId}`);
    }
  }
  assert.equal(core.sim.requestCounts().total, 0);
});
