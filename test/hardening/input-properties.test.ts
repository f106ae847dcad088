/**
 * Properties over untrusted text and button presses:
 * - any text after any command (unicode, 10,000 characters, control characters, markup)
 *   gets a reply and never an "unexpected error";
 * - camera names carrying HTML/Markdown are shown exactly as named, never as formatting,
 *   and never break Telegram's HTML parse;
 * - forged callback data, another chat's button, and presses replayed after /deny or
 *   /logout run nothing: no Blink request, only an "expired / not allowed" answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { commands } from '../../src/core/registry.js';
import { escapeAndSplit } from '../../src/telegram/html.js';
import { renderText } from '../helpers/fake-telegram/text-format.js';
import { createHarness, OWNER, textOf } from '../core/harness.js';
import { ADMIN, GROUP, OWNER as TG_OWNER, startApp, textOfCall } from './app-harness.js';
import { numRuns, recordInputs } from './budget.js';

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 10_000, minLength: 5_000 }),
  fc.constantFrom(
    '<b>bold</b>',
    '<a href="http://evil">x</a>',
    '*bold* _it_ `code` [l](http://x)',
    '&amp; &lt;',
    '</code>',
    '\u0000\u0007\u001b[31m',
    '\u202e\u200d',
    '@everyone',
    '/logout',
    '"; DROP TABLE users; --',
  ),
);

// Commands that would end the session or need an admin are left out of the arbitrary-text run
// (they are covered by the access tests); everything else gets arbitrary arguments.
const skip = new Set(['logout', 'login', 'allow', 'deny', 'pin']);

test('any text after any command gets a reply and never an unexpected error', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const names = commands.map((c) => c.name).filter((n) => !skip.has(n));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), nasty, async (name, text) => {
      recordInputs(1);
      const outcome = await h.send(OWNER, OWNER, `/${name} ${text}`);
      const reply = textOf(outcome);
      assert.ok(reply.length > 0 || outcome.reply.parts.length > 0, `/${name} gave no reply`);
      assert.doesNotMatch(reply, /Something went wrong/, `/${name} ${JSON.stringify(text.slice(0, 80))} → ${reply}`);
    }),
    { numRuns: numRuns(150), seed: 31337 },
  );
  // Still serving after all that (once the session's command budget refilled).
  await h.clock.advance(120_000);
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Front Door/);
});

test('camera names with markup are shown exactly as named, and the HTML always parses', async (t) => {
  const h = await createHarness(t);
  await h.login();
  await fc.assert(
    fc.asyncProperty(
      nasty.filter((n) => n.trim().length > 0 && n.length <= 200),
      async (name) => {
        recordInputs(1);
        h.sim.setCameraState(4001, { name });
        const reply = textOf(await h.send(OWNER, OWNER, '/status'));
        // What Telegram would display: escape as the renderer does, parse as Telegram does.
        const visible = escapeAndSplit(reply)
          .map((chunk) => renderText(chunk, 'HTML'))
          .join('\n');
        assert.equal(visible.replace(/\n/g, ''), reply.replace(/\n/g, ''));
      },
    ),
    { numRuns: numRuns(60), seed: 4711 },
  );
});

test('an injected camera name reaches the chat escaped, end to end through the Bot API', async (t) => {
  const h = await startApp(t);
  h.sim.setCameraState(4001, { name: '<b>Front</b> *Door* <a href="http://evil">x</a>' });
  await h.login();
  const replies = await h.command(TG_OWNER, '/status');
  const call = replies.at(-1);
  assert.ok(call);
  assert.ok(call.response.ok, 'Telegram accepted the HTML');
  assert.match(String(call.params['text']), /&lt;b&gt;Front&lt;\/b&gt;/);
  const shown = h.fake.messagesTo(TG_OWNER).at(-1);
  assert.match(JSON.stringify(shown), /<b>Front<\/b> \*Door\*/, 'the user sees the name as typed');
});

test('forged, foreign and replayed button presses run nothing', async (t) => {
  const h = await startApp(t, { allowed: [`tg:${TG_OWNER}`, `tg:${GROUP}`] });
  await h.login();
  await h.command(TG_OWNER, '/link', GROUP);
  const clips = await h.command(TG_OWNER, '/clips');
  const withButtons = clips.find((c) => c.params['reply_markup'] !== undefined);
  assert.ok(withButtons);
  const messageId = Number(JSON.stringify(withButtons.response).match(/"message_id":(\d+)/)?.[1]);
  const markup = withButtons.params['reply_markup'];
  const data = (JSON.stringify(markup).match(/"callback_data":"([^"]+)"/) ?? [])[1];
  assert.ok(data && Number.isFinite(messageId));

  const pressAndCount = async (input: {
    chatId: number;
    userId: number;
    messageId: number;
    data: string;
  }): Promise<{ blink: number; answer: string; sends: number }> => {
    const blinkBefore = h.sim.requestCounts().total;
    const since = h.fake.calls.at(-1)?.seq ?? 0;
    h.fake.pressButton({ ...input, force: true });
    const answer = await h.fake.waitFor((c) => c.seq > since && c.method === 'answerCallbackQuery', { since });
    // Real time on purpose (short): a send or Blink request after the answer would come within 150 ms.
    await new Promise((r) => setTimeout(r, 150));
    const sends = h.fake.calls.filter((c) => c.seq > since && /^send(Message|Video|Photo)$/.test(c.method)).length;
    return { blink: h.sim.requestCounts().total - blinkBefore, answer: String(answer.params['text'] ?? ''), sends };
  };

  // Forged callback data on a real message.
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 64 }),
        fc.string({ unit: 'binary', maxLength: 64 }).map((s) => `a:${s}`),
      ),
      async (forged) => {
        fc.pre(forged !== data && forged.length > 0);
        recordInputs(1);
        const r = await pressAndCount({ chatId: TG_OWNER, userId: TG_OWNER, messageId, data: forged });
        assert.equal(r.blink, 0);
        assert.equal(r.sends, 0);
        assert.match(r.answer, /expired|not allowed|no longer/i);
      },
    ),
    { numRuns: numRuns(25), seed: 99 },
  );

  // The owner's real token pressed from another chat (copied onto a group message).
  const groupMsg = h.fake.messagesTo(GROUP).at(-1);
  assert.ok(groupMsg);
  recordInputs(1);
  const foreign = await pressAndCount({ chatId: GROUP, userId: ADMIN, messageId: groupMsg.message_id, data });
  assert.deepEqual([foreign.blink, foreign.sends], [0, 0]);

  // Replay after /deny of the chat: the allowlist is checked on every press.
  await h.command(ADMIN, `/deny tg:${TG_OWNER}`, ADMIN);
  recordInputs(1);
  const denied = await pressAndCount({ chatId: TG_OWNER, userId: TG_OWNER, messageId, data });
  assert.equal(denied.blink, 0, 'no Blink request after /deny');
  const refusal = h.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === TG_OWNER).at(-1);
  assert.match(refusal ? textOfCall(refusal) : '', /not allowed/);
  await h.command(ADMIN, `/allow tg:${TG_OWNER}`, ADMIN);

  // Replay after /logout: the button's action needs a session that is gone.
  await h.command(TG_OWNER, '/logout');
  recordInputs(1);
  const replay = await pressAndCount({ chatId: TG_OWNER, userId: TG_OWNER, messageId, data });
  assert.equal(replay.blink, 0, 'no Blink request after /logout');
  const last = h.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === TG_OWNER).at(-1);
  assert.ok(last && /log ?in|expired|not allowed/i.test(textOfCall(last)), last ? textOfCall(last) : 'no message');
});
