/**
 * Security checks over the whole bot (createApp + simulator + fake Telegram):
 * - no secret (password, access/refresh tokens, 2FA PIN, SECRET_KEY hex and base64) in any
 *   log line at debug level, any Bot API call the bot made, or the database files' bytes;
 * - every command and every button of the registry, from a chat that is not allowlisted,
 *   gets at most one reply naming the chat and causes zero Blink requests and zero state
 *   change (generated from `commands`, so a new command is covered automatically);
 * - a group member who is not the session owner cannot /logout, /unlink or re-link it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { commands } from '../../src/core/registry.js';
import { notAllowedText } from '../../src/core/dispatcher.js';
import { createSealer } from '../../src/secrets/index.js';
import { z } from 'zod';
import { dbSnapshot } from './db-snapshot.js';
import { EMAIL, GROUP, OWNER, PASSWORD, STRANGER, startApp, textOfCall, type AppHarness } from './app-harness.js';
import { recordInputs } from './budget.js';

const Tokens = z.object({ accessToken: z.string(), refreshToken: z.string() });

function tokensHeld(h: AppHarness, owner: string): string[] {
  const session = h.app.repos.sessions.getByOwner(owner);
  if (!session?.sealedTokens) return [];
  const sealer = createSealer(Buffer.from(h.secretKeyHex, 'hex'));
  const tokens = Tokens.parse(JSON.parse(sealer.open(session.sealedTokens, owner)));
  return [tokens.accessToken, tokens.refreshToken];
}

/** Where a secret could end up: logs, every Bot API call (params and answers), DB bytes. */
function everythingProduced(h: AppHarness): { where: string; text: string }[] {
  const out = [
    { where: 'logs', text: h.logLines.join('') },
    // What the bot sent (params) and got back for its own messages; getUpdates answers are
    // the users' own messages (the password the owner typed), not something the bot produced.
    { where: 'bot api calls', text: JSON.stringify(h.fake.calls.map((c) => ({ m: c.method, p: c.params, r: c.method === 'getUpdates' ? null : c.response }))) },
  ];
  for (const file of readdirSync(h.dir)) {
    // Bytes as latin1 so any plaintext run of ASCII is findable.
    out.push({ where: `file ${file}`, text: readFileSync(path.join(h.dir, file)).toString('latin1') });
  }
  return out;
}

test('no secret appears in logs (debug), replies, or the database files after a full run', async (t) => {
  const h = await startApp(t);
  h.sim.setTwoFactor(EMAIL, '412');
  const secrets = new Map<string, string>([
    ['password', PASSWORD],
    ['SECRET_KEY hex', h.secretKeyHex],
    ['SECRET_KEY base64', Buffer.from(h.secretKeyHex, 'hex').toString('base64')],
    ['SECRET_KEY base64url', Buffer.from(h.secretKeyHex, 'hex').toString('base64url')],
    ['bot token', h.fake.token],
  ]);

  // Login with 2FA: a wrong PIN first, then the right one as a plain message.
  await h.say(OWNER, '/login');
  await h.say(OWNER, EMAIL);
  await h.say(OWNER, PASSWORD);
  const pin = h.sim.currentPin(EMAIL);
  assert.ok(pin, 'the simulator asked for a PIN');
  secrets.set('2FA PIN', pin);
  await h.say(OWNER, '/pin 000000'.replace('000000', pin === '000000' ? '111111' : '000000'));
  const pin2 = h.sim.currentPin(EMAIL) ?? pin;
  secrets.set('2FA PIN (2)', pin2);
  const done = await h.say(OWNER, pin2);
  assert.match(textOfCall(done), /Logged in/);
  for (const [i, tok] of tokensHeld(h, `tg:${OWNER}`).entries()) secrets.set(`token ${i}`, tok);

  // Commands, a forced refresh (rotates both tokens), an alert, a clip button.
  await h.command(OWNER, '/status');
  h.sim.expireAccessTokens();
  await h.command(OWNER, '/arm');
  for (const [i, tok] of tokensHeld(h, `tg:${OWNER}`).entries()) secrets.set(`refreshed token ${i}`, tok);
  await h.command(OWNER, '/disarm');
  await h.command(OWNER, '/snap front');
  const list = await h.command(OWNER, '/clips');
  const withButtons = list.find((c) => c.params['reply_markup'] !== undefined);
  assert.ok(withButtons, `/clips offered buttons: ${JSON.stringify(list.map((c) => [c.method, textOfCall(c)]))}`);
  await h.command(GROUP > 0 ? OWNER : OWNER, '/link', GROUP).catch(() => undefined);
  const session = h.app.repos.sessions.getByOwner(`tg:${OWNER}`);
  assert.ok(session);
  h.sim.addClip({ cameraId: 4001, source: 'pir' });
  await h.app.alerts.pollNow(session.id);
  // A failing command (Blink 500s) and an unexpected garbage body, logged at error level.
  h.sim.injectFault({ path: '/homescreen', status: 500, times: 5 });
  await h.command(OWNER, '/status');
  h.sim.injectFault({ path: '/homescreen', malformedJson: true });
  await h.command(OWNER, '/status');
  await h.command(OWNER, '/logout');
  // While running (WAL and -shm present) and after a clean stop.
  const running = everythingProduced(h);
  await h.stop();

  const found: string[] = [];
  for (const { where, text } of [...running, ...everythingProduced(h)]) {
    for (const [name, value] of secrets) {
      recordInputs(1);
      if (value.length >= 6 && text.includes(value)) found.push(`${name} in ${where}`);
    }
  }
  process.stdout.write(`# secret scan: ${secrets.size} secrets × ${running.length + everythingProduced(h).length} sources, found ${found.length}\n`);
  assert.deepEqual(found, []);
  assert.ok(h.logLines.length > 20, 'debug logging really captured lines');
});

/** Plausible arguments for every command, so the check reaches past argument parsing. */
function sampleArgs(name: string): string {
  const samples: Record<string, string> = {
    motion: 'front on',
    snap: 'front',
    clip: '7000005',
    localclip: '1',
    alerts: 'on',
    mute: 'all 1h',
    quiet: '22:00-07:00',
    allow: 'tg:5',
    deny: `tg:${OWNER}`,
    pin: '123456',
    arm: 'home',
    disarm: 'home',
  };
  return samples[name] ?? '';
}

test('every command and button from a chat that is not allowlisted: one reply naming the chat, no Blink request, no state change', async (t) => {
  const h = await startApp(t);
  await h.login();
  await h.command(OWNER, '/link', GROUP);
  const outsider = -1_009_999_999_999;
  const before = dbSnapshot(h.dbPath);
  const blinkBefore = h.sim.requestCounts().total;
  const ownerSession = h.app.repos.sessions.getByOwner(`tg:${OWNER}`);
  assert.ok(ownerSession);

  // A fresh chat per command: the Telegram throttle spaces sends to one chat by 1 s.
  const strangers: number[] = [];
  const outsiders: number[] = [];
  for (const [i, command] of commands.entries()) {
    strangers.push(STRANGER + 1000 + i);
    outsiders.push(outsider - i);
    for (const [chatId, userId] of [
      [STRANGER + 1000 + i, STRANGER + 1000 + i],
      [outsider - i, OWNER],
    ] as const) {
      recordInputs(1);
      const text = `/${command.name} ${sampleArgs(command.name)}`.trim();
      const reply = await h.say(userId, text, chatId);
      assert.equal(textOfCall(reply), notAllowedText(`tg:${chatId}`), text);
    }
    // The same action as a button press (forged into the dispatcher: front ends only map tokens).
    for (const chat of [
      { id: `tg:${STRANGER}`, kind: 'private' as const },
      { id: `tg:${outsider}`, kind: 'group' as const },
    ]) {
      recordInputs(1);
      const outcome = await h.app.dispatcher.handle({
        chat: { ...chat, platform: 'tg' },
        caller: { id: chat.kind === 'private' ? chat.id : `tg:${OWNER}` },
        event: { type: 'button', command: command.name, args: { camera: 'Front Door', clip: '7000005', network: 'Home', state: 'on' } },
        progress: { async update() {}, action() {} },
      });
      const texts = outcome.reply.parts.map((p) => (p.type === 'text' ? p.text : ''));
      assert.deepEqual(texts, [notAllowedText(chat.id)], `button ${command.name} in ${chat.id}`);
    }
  }
  // Exactly one reply each: nothing trailing after the loop either. Real time on purpose
  // (short): a trailing reply would reach the fake within 300 ms, and nothing marks that none comes.
  await new Promise((r) => setTimeout(r, 300));
  const sent = (chats: number[]): number =>
    h.fake.calls.filter((c) => c.method.startsWith('send') && c.method !== 'sendChatAction' && chats.includes(Number(c.params['chat_id']))).length;
  assert.equal(sent(strangers), commands.length);
  assert.equal(sent(outsiders), commands.length);
  assert.equal(h.sim.requestCounts().total, blinkBefore, 'no Blink request');
  assert.equal(dbSnapshot(h.dbPath), before, 'no state change');
});

test('a group member who is not the owner cannot /logout, /unlink or re-link the linked session', async (t) => {
  const h = await startApp(t);
  await h.login();
  await h.command(OWNER, '/link', GROUP);
  const before = dbSnapshot(h.dbPath).replace(/"audit_log",\[.*?\]\]/s, '');
  const blinkBefore = h.sim.requestCounts().total;
  for (const text of ['/logout', '/unlink', '/link']) {
    const replies = await h.command(STRANGER, text, GROUP);
    assert.ok(replies.length >= 1, text);
    assert.doesNotMatch(textOfCall(replies.at(-1)), /logged out|unlinked|is linked to your|now linked/i, text);
  }
  assert.equal(h.sim.requestCounts().total, blinkBefore, 'no Blink request');
  const links = h.app.repos.links.get(`tg:${GROUP}`);
  assert.equal(links?.linkedBy, `tg:${OWNER}`, 'the group stays linked to the owner');
  assert.ok(h.app.repos.sessions.getByOwner(`tg:${OWNER}`)?.sealedTokens, "the owner's tokens are intact");
  assert.ok(before.length > 0);
});
