import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { MediaSource } from '../../src/core/reply.js';
import { FALLBACK_ERROR_TEXT } from '../../src/core/user-error.js';
import { createFileRegistrationStore } from '../../src/discord/registration.js';
import type { InteractionEvent, InteractionResult } from '../helpers/fake-discord/index.js';
import { CHANNEL, DM_CHANNEL, GUILD, IN_CHANNEL, OTHER_CHANNEL, OTHER_GUILD, USER, startFake, startFrontEnd, startHarness } from './harness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

const EPHEMERAL = 64;
const hasEdit = (r: InteractionResult): boolean => r.events.some((e) => e.kind === 'edit');
const messages = (r: InteractionResult): InteractionEvent[] => r.events.filter((e) => e.message !== undefined && e.kind !== 'callback');

function bytesSource(kind: 'photo' | 'video', filename: string, bytes: Buffer, extra: Partial<MediaSource> = {}): MediaSource {
  return { kind, filename, open: async () => ({ stream: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) }), ...extra };
}

test('slash commands are registered once, and again only after they change', async (t) => {
  const fake = await startFake(t);
  const store = createFileRegistrationStore(path.join(tempDir(t), 'discord-commands.sha256'));
  const dispatcher = { handle: async () => ({ reply: { parts: [] } }) };
  const commands = [{ type: 1, name: 'status', description: 'Status', options: [] }];
  const first = await startFrontEnd(t, fake, { dispatcher, slashCommands: commands, registrationStore: store });
  await first.stop();
  const second = await startFrontEnd(t, fake, { dispatcher, slashCommands: commands, registrationStore: store });
  await second.stop();
  assert.equal(fake.callsOf('PUT /applications/:app/commands').length, 1);
  const changed = [...commands, { type: 1, name: 'arm', description: 'Arm', options: [] }];
  await startFrontEnd(t, fake, { dispatcher, slashCommands: changed, registrationStore: store });
  assert.equal(fake.callsOf('PUT /applications/:app/commands').length, 2);
  assert.deepEqual(
    fake.registeredCommands().map((c) => c.name),
    ['status', 'arm'],
  );
});

test('a guild slash command is deferred, dispatched with chat, caller and options, then edited', async (t) => {
  const h = await startHarness(t);
  // The work does not end before Discord has the deferral: a front end that deferred only after
  // the work (or with it) would leave this dispatcher waiting. Order, not wall time (no load bound).
  h.answer(async () => {
    await until(() => h.fake.interactionResult(handle).events.some((e) => e.kind === 'callback'), 'the deferral while the command runs');
    return { reply: { parts: [{ type: 'text', text: 'Home: armed *now* @everyone' }] } };
  });
  const handle = h.fake.sendSlashCommand({ name: 'arm', options: { network: 'Home' }, userId: USER, guildId: GUILD, channelId: CHANNEL });
  const result = await h.fake.waitForInteractionResponse(handle, hasEdit);
  assert.deepEqual(
    result.events.map((e) => [e.kind, e.callbackType]),
    [
      ['callback', 5],
      ['edit', undefined],
    ],
  );
  const inbound = h.inbounds[0];
  assert.deepEqual(inbound?.chat, { id: `dc:${CHANNEL}`, platform: 'dc', kind: 'group', aliases: [`dc:${GUILD}`] });
  assert.equal(inbound?.caller.id, `dc:${USER}`);
  assert.deepEqual(inbound?.event, { type: 'command', name: 'arm', options: { network: 'Home' } });
  const edited = result.events[1]?.message;
  assert.equal(edited?.content, 'Home: armed \\*now\\* @everyone');
  assert.equal((edited?.flags ?? 0) & EPHEMERAL, 0);
  assert.deepEqual(edited?.allowed_mentions, { parse: [] });
});

test("a DM is the user's chat, with the DM channel as alias", async (t) => {
  const h = await startHarness(t);
  const handle = h.fake.sendSlashCommand({ name: 'status', userId: USER, channelId: DM_CHANNEL });
  await h.fake.waitForInteractionResponse(handle, hasEdit);
  assert.deepEqual(h.inbounds[0]?.chat, { id: `dc:${USER}`, platform: 'dc', kind: 'private', aliases: [`dc:${DM_CHANNEL}`] });
});

test('a private Outcome after a public defer becomes one ephemeral message', async (t) => {
  const h = await startHarness(t);
  h.answer((inbound) => ({ reply: { parts: [{ type: 'text', text: `This chat (${inbound.chat.id}) is not allowed.` }], private: true } }));
  const handle = h.fake.sendSlashCommand({ name: 'status', userId: USER, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL });
  const result = await h.fake.waitForInteractionResponse(handle, (r) => r.events.some((e) => e.kind === 'followup'));
  const live = h.fake.channelMessages(OTHER_CHANNEL);
  assert.equal(live.length, 1);
  assert.equal(live[0]?.flags, EPHEMERAL);
  assert.match(live[0]?.content ?? '', new RegExp(`dc:${OTHER_CHANNEL}`));
  assert.ok(result.events.some((e) => e.kind === 'delete'));
});

test('a failing dispatcher still gets one ephemeral answer and the bot keeps serving', async (t) => {
  const h = await startHarness(t);
  h.answer(() => {
    throw new Error('boom');
  });
  const bad = h.fake.sendSlashCommand({ name: 'status', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const failed = await h.fake.waitForInteractionResponse(bad, (r) => r.events.some((e) => e.kind === 'followup'));
  const followup = failed.events.find((e) => e.kind === 'followup');
  assert.equal(followup?.message?.flags, EPHEMERAL);
  assert.equal(followup?.message?.content, FALLBACK_ERROR_TEXT, 'the same words on every front end');
  h.answer(() => ({ reply: { parts: [{ type: 'text', text: 'fine' }] } }));
  const good = h.fake.sendSlashCommand({ name: 'status', userId: USER, guildId: GUILD, channelId: CHANNEL });
  assert.equal((await h.fake.waitForInteractionResponse(good, hasEdit)).events[1]?.message?.content, 'fine');
});

test('buttons run their stored action; an unknown one says it expired', async (t) => {
  const h = await startHarness(t);
  h.answer(() => ({
    reply: { parts: [{ type: 'text', text: 'clips', buttons: [[{ label: 'Send 123', action: { command: 'clip', args: { clip: '123' } } }]] }] },
  }));
  const list = h.fake.sendSlashCommand({ name: 'clips', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const listed = await h.fake.waitForInteractionResponse(list, hasEdit);
  const message = listed.events[1]?.message;
  assert.ok(message);
  const customId = JSON.stringify(message.components).match(/"custom_id":"([^"]+)"/)?.[1];
  assert.ok(customId !== undefined && customId.length <= 100);
  const press = h.fake.pressButton({ customId, userId: USER, guildId: GUILD, channelId: CHANNEL, messageId: message.id });
  await h.fake.waitForInteractionResponse(press, hasEdit);
  const pressed = h.inbounds[1]?.event;
  assert.ok(pressed?.type === 'button' && typeof pressed.pressId === 'string', 'the press carries its button identity');
  assert.deepEqual({ ...pressed, pressId: undefined }, { type: 'button', command: 'clip', args: { clip: '123' }, pressId: undefined });
  // The same button pressed from another channel is not honoured.
  const elsewhere = h.fake.pressButton({ customId, userId: USER, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, messageId: message.id });
  const expired = await h.fake.waitForInteractionResponse(elsewhere);
  assert.equal(expired.events[0]?.callbackType, 4);
  assert.equal(expired.events[0]?.message?.flags, EPHEMERAL);
  assert.match(expired.events[0]?.message?.content ?? '', /expired/);
  assert.equal(h.inbounds.length, 2);
});

test('/login opens a modal; its submit and the code modal are dispatched, every reply ephemeral', async (t) => {
  const h = await startHarness(t);
  const opened = h.fake.sendSlashCommand({ name: 'login', userId: USER, channelId: DM_CHANNEL });
  const modal = await h.fake.waitForInteractionResponse(opened);
  assert.equal(modal.events[0]?.callbackType, 9);
  assert.equal(h.inbounds.length, 0);
  h.answer(() => ({
    reply: {
      private: true,
      parts: [
        {
          type: 'text',
          text: 'Blink sent a code.',
          buttons: [[{ label: 'Enter code', action: { command: 'pin', args: {} }, input: { name: 'code', label: '2FA code' } }]],
        },
      ],
    },
  }));
  const submit = h.fake.submitModal({ customId: 'login', fields: { email: 'a@b.c', password: 'hunter2' }, userId: USER, channelId: DM_CHANNEL });
  const asked = await h.fake.waitForInteractionResponse(submit, hasEdit);
  assert.deepEqual(h.inbounds[0]?.event, { type: 'command', name: 'login', options: { email: 'a@b.c', password: 'hunter2' } });
  assert.equal(asked.events[0]?.message?.flags !== undefined && asked.events[0].message.flags & EPHEMERAL, EPHEMERAL);
  const prompt = asked.events[1]?.message;
  assert.ok(prompt);
  const customId = JSON.stringify(prompt.components).match(/"custom_id":"([^"]+)"/)?.[1] ?? '';
  const press = h.fake.pressButton({ customId, userId: USER, channelId: DM_CHANNEL, messageId: prompt.id });
  const codeModal = await h.fake.waitForInteractionResponse(press);
  assert.equal(codeModal.events[0]?.callbackType, 9);
  const modalId = JSON.stringify(codeModal.events[0]?.body).match(/"custom_id":"(i:[^"]+)"/)?.[1] ?? '';
  h.answer(() => ({ reply: { private: true, parts: [{ type: 'text', text: 'Logged in.' }] } }));
  const code = h.fake.submitModal({ customId: modalId, fields: { code: '123456' }, userId: USER, channelId: DM_CHANNEL, messageId: prompt.id });
  const done = await h.fake.waitForInteractionResponse(code, hasEdit);
  assert.deepEqual(h.inbounds[1]?.event, { type: 'button', command: 'pin', args: { code: '123456' } });
  assert.equal(done.events[1]?.message?.content, 'Logged in.');
  for (const m of h.fake.channelMessages(DM_CHANNEL)) assert.equal(m.flags & EPHEMERAL, EPHEMERAL, m.content);
  const sent = JSON.stringify(h.fake.calls().map((c) => c.body));
  assert.ok(!sent.includes('hunter2'));
});

test('autocomplete answers at most 25 choices matching what was typed, case-insensitively', async (t) => {
  const names = ['Front door', 'Back yard', 'Garage', ...Array.from({ length: 40 }, (_, i) => `Fridge ${i}`)];
  const asked: string[] = [];
  const h = await startHarness(t, {
    autocomplete: async (kind, chat, caller, typed) => {
      asked.push(`${kind}|${chat.id}|${caller.id}|${typed}`);
      return names.map((n) => ({ name: n, value: n }));
    },
  });
  const handle = h.fake.sendAutocomplete({ name: 'snap', focused: 'camera', value: 'FR', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const result = await h.fake.waitForInteractionResponse(handle);
  assert.equal(result.events[0]?.callbackType, 8);
  const body = JSON.stringify(result.events[0]?.body);
  const choices = (JSON.parse(body) as { data: { choices: { name: string }[] } }).data.choices.map((c) => c.name);
  assert.equal(choices.length, 25);
  assert.equal(choices[0], 'Front door');
  assert.ok(choices.every((c) => c.toLowerCase().startsWith('fr')));
  assert.deepEqual(asked, [`camera|dc:${CHANNEL}|dc:${USER}|FR`]);
});

test('a photo reply is an attachment with the exact bytes; quiet replies suppress notifications', async (t) => {
  const h = await startHarness(t);
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
  h.answer(() => ({
    reply: {
      silent: true,
      parts: [
        { type: 'media', media: bytesSource('photo', 'snap.jpg', bytes), caption: 'Front door' },
        { type: 'text', text: 'and more' },
      ],
    },
  }));
  const handle = h.fake.sendSlashCommand({ name: 'snap', options: { camera: 'Front door' }, userId: USER, guildId: GUILD, channelId: CHANNEL });
  const result = await h.fake.waitForInteractionResponse(handle, (r) => r.events.some((e) => e.kind === 'followup'));
  const [photo, more] = messages(result);
  assert.ok(photo?.message?.attachments[0]?.bytes.equals(bytes));
  assert.equal(photo?.message?.attachments[0]?.filename, 'snap.jpg');
  assert.equal(photo?.message?.content, 'Front door');
  assert.equal(more?.message?.content, 'and more');
  assert.equal(more?.message?.flags, 4096);
  for (const m of h.fake.channelMessages(CHANNEL)) assert.deepEqual(m.allowed_mentions, { parse: [] });
});

test("a clip over the interaction's attachment limit falls back to the thumbnail with a note", async (t) => {
  const h = await startHarness(t);
  const clip = Buffer.alloc(12 * 1024 * 1024, 1);
  const thumbnail = Buffer.from('thumbnail-bytes');
  let opened = 0;
  const media = bytesSource('video', 'clip.mp4', clip, {
    open: async () => {
      opened++;
      return { stream: Readable.from([clip]) };
    },
    fallback: bytesSource('photo', 'thumb.jpg', thumbnail),
  });
  h.answer(() => ({ reply: { parts: [{ type: 'media', media, caption: 'Garage 12:00' }] } }));
  const handle = h.fake.sendSlashCommand({
    name: 'clip',
    options: { clip: '1' },
    ...IN_CHANNEL,
    attachmentSizeLimit: 10 * 1024 * 1024,
  });
  const result = await h.fake.waitForInteractionResponse(handle, hasEdit);
  const message = result.events[1]?.message;
  assert.equal(message?.attachments.length, 1);
  assert.ok(message?.attachments[0]?.bytes.equals(thumbnail));
  assert.match(message?.content ?? '', /Garage 12:00[\s\S]*too large/);
  assert.equal(opened, 1);
});

test('a result after the interaction token expired goes to the channel once', async (t) => {
  const h = await startHarness(t);
  h.fake.failNext({ route: 'PATCH /webhooks/:app/:token/messages/:message', status: 404 });
  h.answer(() => ({ reply: { parts: [{ type: 'text', text: 'Home is armed.' }] } }));
  const handle = h.fake.sendSlashCommand({ name: 'arm', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const posted = await h.fake.waitForChannelMessage(CHANNEL, (m) => m.source === 'channel');
  assert.equal(posted.content, 'Home is armed.');
  // Real time on purpose (short): a wrong extra call would reach the fake over its real socket
  // within 50 ms, and nothing the bot does marks that none comes.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.fake.callsOf('PATCH /webhooks/:app/:token/messages/:message').length, 1);
  assert.equal(h.fake.callsOf('POST /webhooks/:app/:token').length, 0);
  assert.equal(h.fake.interactionResult(handle).events.filter((e) => e.kind === 'followup').length, 0);
});

test('the gateway reconnects after a drop and interactions keep working', async (t) => {
  const h = await startHarness(t);
  assert.equal(h.frontEnd.connected(), true);
  h.fake.disconnectGateway();
  const handle = h.fake.sendSlashCommand({ name: 'status', userId: USER, guildId: GUILD, channelId: CHANNEL });
  await h.fake.waitForInteractionResponse(handle, hasEdit);
  // The interaction can be dispatched before discord.js emits its resume event.
  await until(() => h.frontEnd.connected(), 'the front end connected again');
});

test('a second press of a button while the first still runs is only acknowledged', async (t) => {
  const h = await startHarness(t);
  h.answer(() => ({ reply: { parts: [{ type: 'text', text: 'list', buttons: [[{ label: 'Arm', action: { command: 'arm', args: {} } }]] }] } }));
  const listed = await h.fake.waitForInteractionResponse(h.fake.sendSlashCommand({ name: 'clips', userId: USER, guildId: GUILD, channelId: CHANNEL }), hasEdit);
  const message = listed.events[1]?.message;
  assert.ok(message);
  const customId = JSON.stringify(message.components).match(/"custom_id":"([^"]+)"/)?.[1] ?? '';
  let finish: () => void = () => undefined;
  h.answer(() => new Promise((resolve) => (finish = () => resolve({ reply: { parts: [{ type: 'text', text: 'armed' }] } }))));
  const press = () => h.fake.pressButton({ customId, userId: USER, guildId: GUILD, channelId: CHANNEL, messageId: message.id });
  const first = press();
  await h.fake.waitForInteractionResponse(first);
  const second = await h.fake.waitForInteractionResponse(press());
  assert.equal(second.events[0]?.callbackType, 6, 'acknowledged without a message');
  // The first press reaches the dispatcher only after its deferral's round trip.
  await until(() => h.inbounds.length === 2, 'the first press at the dispatcher');
  finish();
  await h.fake.waitForInteractionResponse(first, hasEdit);
  assert.equal(h.inbounds.length, 2, 'the list and one press');
  // Released: the button works again.
  h.answer(() => ({ reply: { parts: [{ type: 'text', text: 'again' }] } }));
  await h.fake.waitForInteractionResponse(press(), hasEdit);
  assert.equal(h.inbounds.length, 3);
});
