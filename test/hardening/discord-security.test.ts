/**
 * Security checks over the whole bot on Discord (createApp + simulator + fake Discord):
 * - every command of the registry as a slash command (generated from `commands`, so a new
 *   command is covered automatically), a forged button, a foreign button and an autocomplete
 *   request, from a guild channel and a DM that are not allowlisted: at most one ephemeral
 *   reply naming the chat, zero Blink requests, zero database change;
 * - a member of a linked channel who is not the session owner cannot /logout, /unlink or
 *   re-/link it;
 * - no secret (password, PIN, Blink tokens, SECRET_KEY, the bot token, interaction tokens) in
 *   any log line at debug level, any REST body the bot sent, or the database files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { notAllowedText } from '../../src/core/dispatcher.js';
import { commands, discordSlashCommands } from '../../src/core/registry.js';
import { createSealer } from '../../src/secrets/index.js';
import type { InteractionHandle, InteractionResult } from '../helpers/fake-discord/index.js';
import { EMAIL, PASSWORD } from './app-harness.js';
import { until } from '../helpers/until.js';
import { recordInputs } from './budget.js';
import { dbSnapshot } from './db-snapshot.js';
import {
  CHANNEL,
  EPHEMERAL,
  GUILD,
  MEMBER,
  OTHER_CHANNEL,
  OTHER_GUILD,
  OWNER,
  STRANGER,
  STRANGER_DM,
  customIds,
  ownerDm,
  ownerInChannel,
  startDiscordApp,
  type DiscordAppHarness,
  type Where,
} from './discord-app-harness.js';

const SAMPLES: Record<string, string> = {
  camera: 'front',
  network: 'home',
  clip: '7000005',
  state: 'on',
  duration: '1h',
  hours: '22:00-07:00',
  chat: `dc:${OTHER_CHANNEL}`,
  code: '123456',
};

/** Plausible values for every option of the command, so the check reaches past parsing. */
function sampleOptions(name: string): Record<string, string> {
  const json = discordSlashCommands().find((c) => c.name === name);
  const out: Record<string, string> = {};
  for (const option of json?.options ?? []) out[option.name] = option.choices?.[0]?.value ?? SAMPLES[option.name] ?? 'x';
  return out;
}

/** The first response is complete: a message, a modal, an edit, a follow-up or a deletion. */
const settled = (r: InteractionResult): boolean =>
  r.events.some(
    (e) =>
      (e.kind === 'callback' && (e.callbackType === 4 || e.callbackType === 8 || e.callbackType === 9)) ||
      e.kind === 'edit' ||
      e.kind === 'followup' ||
      e.kind === 'delete',
  );

/** Waits until the interaction was answered, or dropped as one beyond a stranger chat's one answer a minute (the debug log says which). */
async function answeredOrDropped(h: DiscordAppHarness, handle: InteractionHandle): Promise<void> {
  await until(
    () => settled(h.fake.interactionResult(handle)) || h.logLines.some((line) => line.includes(`"interaction":"${handle.id}"`) && line.includes('dropped')),
    `interaction ${handle.id} answered or dropped`,
  );
}

const Tokens = z.object({ accessToken: z.string(), refreshToken: z.string() });

function tokensHeld(h: DiscordAppHarness): string[] {
  const session = h.app.repos.sessions.getByOwner(`dc:${OWNER}`);
  if (!session?.sealedTokens) return [];
  const tokens = Tokens.parse(JSON.parse(createSealer(Buffer.from(h.secretKeyHex, 'hex')).open(session.sealedTokens, `dc:${OWNER}`)));
  return [tokens.accessToken, tokens.refreshToken];
}

test('Discord: every command, a forged and a foreign button, and autocomplete from a chat that is not allowlisted: one ephemeral reply naming the chat, no Blink request, no state change', async (t) => {
  const h = await startDiscordApp(t);
  const { fake } = h;
  await h.login();
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  h.sim.addClip({ cameraId: 4001, createdAt: h.sim.now() - 1000, size: 2048 });
  const clipList = await h.slash(ownerInChannel, 'clips', {}, (m) => customIds(m).length > 0);
  const foreignButton = customIds(clipList)[0] ?? '';
  await until(() => h.app.alerts.stats().sendsInFlight === 0, 'quiet alerts');
  const before = dbSnapshot(h.dbPath);
  const blinkBefore = h.sim.requestCounts().total;

  const places: { where: Where; chat: string; channel: string }[] = [
    // The owner themself, in a guild channel nobody allowed: the chat decides, not the user.
    { where: { userId: OWNER, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL }, chat: `dc:${OTHER_CHANNEL}`, channel: OTHER_CHANNEL },
    { where: { userId: STRANGER, channelId: STRANGER_DM }, chat: `dc:${STRANGER}`, channel: STRANGER_DM },
  ];
  const registered = new Set(discordSlashCommands().map((c) => c.name));
  const sent: { handle: InteractionHandle; chat: string; channel: string; what: string }[] = [];
  for (const command of commands) {
    if (!registered.has(command.name)) {
      // docs/chat-contract.md §4: every command except /start is a slash command.
      assert.equal(command.name, 'start', `/${command.name} is not a Discord slash command`);
      continue;
    }
    for (const { where, chat, channel } of places) {
      recordInputs(1);
      const handle = fake.sendSlashCommand({ name: command.name, options: sampleOptions(command.name), ...where });
      await answeredOrDropped(h, handle);
      sent.push({ handle, chat, channel, what: `/${command.name} in ${chat}` });
    }
  }
  for (const { where, chat, channel } of places) {
    for (const customId of ['a:forged000001', 'i:forged000002', foreignButton]) {
      recordInputs(1);
      const handle = fake.pressButton({ customId, messageId: clipList.id, ...where });
      await answeredOrDropped(h, handle);
      sent.push({ handle, chat, channel, what: `button ${customId} in ${chat}` });
    }
    for (const [name, focused] of [
      ['snap', 'camera'],
      ['arm', 'network'],
      ['clip', 'clip'],
    ] as const) {
      recordInputs(1);
      const result = await fake.waitForInteractionResponse(fake.sendAutocomplete({ name, focused, value: '', ...where }), settled, 15_000);
      const answer = result.events.find((e) => e.callbackType === 8);
      assert.match(JSON.stringify(answer?.body), /"choices":\[\]/, `autocomplete ${focused} in ${chat}`);
    }
  }
  // Real time on purpose (short): a trailing reply to any of the commands above would reach
  // the fake within 300 ms; nothing marks that none comes.
  await new Promise((r) => setTimeout(r, 300));

  // A DM that is not served: one answer a minute, everything else dropped unanswered. A
  // channel that is not served: an answer to each (its admins learn what to allow).
  for (const { chat, channel } of places) {
    const answered = sent.filter((s) => s.chat === chat && fake.channelMessages(channel).some((m) => m.interactionId === s.handle.id && !m.deleted));
    const expected = channel === STRANGER_DM ? 1 : sent.filter((s) => s.chat === chat).length;
    assert.equal(answered.length, expected, `answers in ${chat}: ${answered.map((s) => s.what).join(', ')}`);
  }
  for (const { handle, chat, channel, what } of sent) {
    const replies = fake.channelMessages(channel).filter((m) => m.interactionId === handle.id && !m.deleted);
    assert.ok(replies.length <= 1, `${what}: ${replies.length} replies`);
    const [reply] = replies;
    if (reply === undefined) continue;
    assert.equal(reply.flags & EPHEMERAL, EPHEMERAL, `${what}: not ephemeral`);
    assert.equal(reply.content, notAllowedText(chat).replace(/([()_*~`|>\\])/g, '\\$1'), what);
  }
  // Replies only ever as answers to these interactions: no channel post, no DM, no modal.
  const modals = sent.filter(({ handle }) =>
    fake.calls().some((c) => c.route.endsWith('/callback') && c.params['id'] === handle.id && /"type":9/.test(JSON.stringify(c.body))),
  );
  assert.deepEqual(
    modals.map((s) => s.what),
    [],
    'a form opened in a chat that is not allowed',
  );
  for (const channel of [OTHER_CHANNEL, STRANGER_DM]) {
    assert.deepEqual(
      fake.channelMessages(channel).filter((m) => m.interactionId === undefined),
      [],
      `unprompted posts to ${channel}`,
    );
  }
  assert.equal(h.sim.requestCounts().total, blinkBefore, 'no Blink request');
  assert.equal(dbSnapshot(h.dbPath), before, 'no state change');
});

test('Discord: a channel member who is not the session owner cannot /logout, /unlink or re-/link it', async (t) => {
  const h = await startDiscordApp(t);
  await h.login();
  const beforeLink = h.sim.requestLog().length;
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  // The poller's first round for a new link ends with an inventory read (health alerts);
  // measure after it, so only requests the member's commands caused are counted.
  await until(
    () =>
      h.sim
        .requestLog()
        .slice(beforeLink)
        .some((r) => r.routeClass.endsWith('/homescreen')),
    "the new link's first poll with its inventory read",
  );
  const blinkBefore = h.sim.requestCounts().total;
  const member: Where = { userId: MEMBER, guildId: GUILD, channelId: CHANNEL };
  for (const name of ['logout', 'unlink', 'link']) {
    const handle = h.fake.sendSlashCommand({ name, ...member });
    const result = await h.fake.waitForInteractionResponse(
      handle,
      (r) => r.events.some((e) => (e.kind === 'edit' || e.kind === 'followup') && (e.message?.content ?? '') !== ''),
      15_000,
    );
    const text = result.events.map((e) => e.message?.content ?? '').join('\n');
    assert.doesNotMatch(text, /logged out|unlinked|is linked to your|now linked|now uses/i, name);
  }
  assert.equal(h.sim.requestCounts().total, blinkBefore, 'no Blink request');
  assert.equal(h.app.repos.links.get(`dc:${CHANNEL}`)?.linkedBy, `dc:${OWNER}`, 'the channel stays linked to the owner');
  assert.equal(h.app.repos.links.get(`dc:${CHANNEL}`)?.active, true);
  assert.ok(h.app.repos.sessions.getByOwner(`dc:${OWNER}`)?.sealedTokens, "the owner's tokens are intact");
});

/** Where a secret could end up: logs, every REST body and query the bot sent, message texts, DB bytes. */
function everythingProduced(h: DiscordAppHarness): { where: string; text: string }[] {
  const out = [
    { where: 'logs', text: h.logLines.join('') },
    // The path carries the interaction token by design (callback and webhook URLs): left out.
    { where: 'REST bodies', text: JSON.stringify(h.fake.calls().map((c) => ({ r: c.route, q: c.query, b: c.body, f: c.files.map((f) => f.filename) }))) },
    {
      where: 'messages',
      text: JSON.stringify(
        [
          ...new Set(
            h.fake
              .calls()
              .map((c) => c.params['channel'])
              .filter((c) => c !== undefined),
          ),
        ].map((c) => h.fake.channelMessages(c).map((m) => [m.content, m.components])),
      ),
    },
  ];
  for (const file of readdirSync(h.dir)) out.push({ where: `file ${file}`, text: readFileSync(path.join(h.dir, file)).toString('latin1') });
  return out;
}

test('Discord: no secret in logs (debug), REST bodies or the database files after a full run', async (t) => {
  const h = await startDiscordApp(t);
  const { fake, sim } = h;
  sim.setTwoFactor(EMAIL, '412');
  const secrets = new Map<string, string>([
    ['password', PASSWORD],
    ['SECRET_KEY hex', h.secretKeyHex],
    ['SECRET_KEY base64', Buffer.from(h.secretKeyHex, 'hex').toString('base64')],
    ['SECRET_KEY base64url', Buffer.from(h.secretKeyHex, 'hex').toString('base64url')],
    ['bot token', fake.botToken],
  ]);
  const pinBefore = sim.lastIssuedPin();
  await h.login();
  const pin = sim.lastIssuedPin();
  assert.ok(pin !== null && pin !== pinBefore, 'the login went through 2FA');
  secrets.set('2FA PIN', pin);
  for (const [i, token] of tokensHeld(h).entries()) secrets.set(`token ${i}`, token);

  await h.slash(ownerDm, 'status', {}, (m) => /Front Door/.test(m.content));
  sim.expireAccessTokens();
  await h.slash(ownerDm, 'arm', {}, (m) => /armed/.test(m.content));
  for (const [i, token] of tokensHeld(h).entries()) secrets.set(`refreshed token ${i}`, token);
  await h.slash(ownerDm, 'disarm', {}, (m) => /disarmed/.test(m.content));
  await h.slash(ownerDm, 'snap', { camera: 'front' }, (m) => m.attachments.length > 0);
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  sim.addClip({ cameraId: 4001, source: 'pir', size: 4096 });
  await h.app.alerts.pollNow(h.sessionId());
  await fake.waitForChannelMessage(CHANNEL, (m) => /Motion/.test(m.content));
  const list = await h.slash(ownerInChannel, 'clips', {}, (m) => customIds(m).length > 0);
  await h.answer(fake.pressButton({ customId: customIds(list)[0] ?? '', messageId: list.id, ...ownerInChannel }), (m) => m.attachments.length > 0);
  sim.injectFault({ path: '/homescreen', status: 500, times: 5 });
  await h.slash(ownerDm, 'status', {}, (m) => /unavailable|try again/i.test(m.content));
  await h.slash(ownerDm, 'logout', {}, (m) => /logged out/i.test(m.content));
  for (const [i, handle] of h.handles.entries()) secrets.set(`interaction token ${i}`, handle.token);

  const running = everythingProduced(h);
  await h.stop();
  const found: string[] = [];
  const sources = [...running, ...everythingProduced(h)];
  for (const { where, text } of sources) {
    for (const [name, value] of secrets) {
      recordInputs(1);
      if (value.length >= 6 && text.includes(value)) found.push(`${name} in ${where}`);
    }
  }
  process.stdout.write(`# discord secret scan: ${secrets.size} secrets × ${sources.length} sources, found ${found.length}\n`);
  assert.deepEqual(found, []);
  assert.ok(h.logLines.length > 20, 'debug logging really captured lines');
});
