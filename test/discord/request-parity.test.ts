/**
 * Issue: "the same Blink request counts as from Telegram". Both front ends run on one real
 * dispatcher, database and Blink simulator; each command is sent once from a Telegram private
 * chat and once as a Discord slash command in a DM, and the simulator's per-route counts must
 * be identical: the front ends add no Blink traffic of their own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDiscordAutocomplete } from '../../src/app/discord-autocomplete.js';
import { discordSlashCommands } from '../../src/core/registry.js';
import type { InteractionResult } from '../helpers/fake-discord/index.js';
import type { RecordedCall } from '../helpers/fake-telegram/index.js';
import { createHarness } from '../core/harness.js';
import { startHarness as startTelegram } from '../telegram/harness.js';
import { DM_CHANNEL, USER, startFake, startFrontEnd } from './harness.js';

const TG_USER = 100;

interface Case {
  telegram: string;
  discord: { name: string; options?: Record<string, string> };
  /** The final answer: a text matching this, or a photo/video. */
  done: RegExp | 'photo' | 'video';
}

const cases: Case[] = [
  { telegram: '/status', discord: { name: 'status' }, done: /Front Door/ },
  { telegram: '/disarm', discord: { name: 'disarm' }, done: /\bdisarmed\b/ },
  { telegram: '/arm', discord: { name: 'arm' }, done: /(?<!dis)armed\b/ },
  { telegram: '/motion Front Door off', discord: { name: 'motion', options: { camera: 'Front Door', state: 'off' } }, done: /is off\./ },
  { telegram: '/snap Front Door', discord: { name: 'snap', options: { camera: 'Front Door' } }, done: 'photo' },
  { telegram: '/clips', discord: { name: 'clips' }, done: /7000005/ },
  { telegram: '/clip 7000005', discord: { name: 'clip', options: { clip: '7000005' } }, done: 'video' },
];

function telegramDone(done: Case['done']): (call: RecordedCall) => boolean {
  return (call) => {
    if (String(call.params['chat_id']) !== String(TG_USER) || !call.response.ok) return false;
    if (done === 'photo') return call.method === 'sendPhoto';
    if (done === 'video') return call.method === 'sendVideo';
    return (call.method === 'sendMessage' || call.method === 'editMessageText') && done.test(String(call.params['text'] ?? ''));
  };
}

function discordDone(done: Case['done']): (result: InteractionResult) => boolean {
  return (result) =>
    result.events.some((e) => {
      if ((e.kind !== 'edit' && e.kind !== 'followup') || e.message === undefined) return false;
      if (done === 'photo' || done === 'video') return e.message.attachments.length > 0;
      return done.test(e.message.content);
    });
}

test('every command costs the same Blink requests from Discord as from Telegram', async (t) => {
  const core = await createHarness(t);
  const telegram = await startTelegram(t, (inbound) => core.dispatcher.handle(inbound));
  const discordFake = await startFake(t);
  await startFrontEnd(t, discordFake, {
    dispatcher: core.dispatcher,
    slashCommands: discordSlashCommands(),
    autocomplete: createDiscordAutocomplete({ repos: core.repos, sessions: core.sessions, clock: core.clock }),
  });
  await telegram.frontEnd.start();
  await core.login(`tg:${TG_USER}`);
  await core.login(`dc:${USER}`);

  for (const c of cases) {
    core.sim.resetCounts();
    const since = telegram.fake.calls.length;
    telegram.fake.sendUserMessage({ chatId: TG_USER, userId: TG_USER, text: c.telegram });
    await telegram.fake.waitFor(telegramDone(c.done), { timeoutMs: 15_000, since });
    const fromTelegram = core.sim.requestCounts();

    core.sim.resetCounts();
    const handle = discordFake.sendSlashCommand({ ...c.discord, userId: USER, channelId: DM_CHANNEL });
    await discordFake.waitForInteractionResponse(handle, discordDone(c.done), 15_000);
    const fromDiscord = core.sim.requestCounts();

    assert.ok(fromTelegram.total > 0, `${c.telegram} reached Blink`);
    t.diagnostic(`${c.telegram}: ${fromTelegram.total} Blink requests from each front end`);
    assert.deepEqual(fromDiscord, fromTelegram, `${c.telegram}: Discord ${JSON.stringify(fromDiscord)} vs Telegram ${JSON.stringify(fromTelegram)}`);
  }
});
