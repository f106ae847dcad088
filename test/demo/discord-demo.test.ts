/**
 * `npm run demo -- --discord` against the fake Discord: nothing is served before the
 * one-time code; `/pin code:<code>` allowlists that DM; then the modal login with the 2FA
 * code printed on the terminal, and /pictures as one message with the three pictures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeDiscord, type InteractionHandle, type InteractionResult } from '../helpers/fake-discord/index.js';
import { spawnDemo } from './helpers.js';
import { DM_CHANNEL, USER } from '../helpers/discord-world.js';

const STRANGER = '400000000000000002';
const STRANGER_DM = '500000000000000002';

test('npm run demo -- --discord: code, modal login with the printed 2FA code, pictures', async (t) => {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  t.after(() => fake.close());
  const demo = spawnDemo(t, ['--discord'], { DISCORD_TOKEN: fake.botToken, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_ROOT: fake.apiRoot });
  const [, code] = await demo.expect(/run \/pin code:([0-9]{6})/, 20_000);
  assert.ok(code);
  await fake.waitForGateway();

  const text = (r: InteractionResult): string => r.events.map((e) => e.message?.content ?? '').join('\n');
  const answer = async (handle: InteractionHandle, pattern: RegExp): Promise<InteractionResult> =>
    fake
      .waitForInteractionResponse(handle, (r) => pattern.test(text(r)), 15_000)
      .catch((error: unknown) => {
        throw new Error(`no reply matching ${String(pattern)}\n${demo.stdout()}`, { cause: error });
      });

  await answer(fake.sendSlashCommand({ name: 'status', userId: USER, channelId: DM_CHANNEL }), /not allowed/);
  await answer(fake.sendSlashCommand({ name: 'pin', options: { code }, userId: USER, channelId: DM_CHANNEL }), /may use the bot now/);
  await demo.expect(new RegExp(`dc:${USER} may use the bot now`));
  await answer(fake.sendSlashCommand({ name: 'pin', options: { code }, userId: STRANGER, channelId: STRANGER_DM }), /not allowed/);

  const opened = fake.sendSlashCommand({ name: 'login', userId: USER, channelId: DM_CHANNEL });
  const modal = await fake.waitForInteractionResponse(opened);
  assert.equal(modal.events[0]?.callbackType, 9, 'a modal');
  const customId = JSON.stringify(modal.events[0]?.body).match(/"custom_id":"([^"]+)"/)?.[1] ?? 'login';
  const pinLine = demo.expect(/Blink sent code ([0-9]{6}) to owner@example\.com/);
  await answer(
    fake.submitModal({ customId, fields: { email: 'owner@example.com', password: 'correct-horse-battery-staple' }, userId: USER, channelId: DM_CHANNEL }),
    /code/i,
  );
  const [, pin] = await pinLine;
  await answer(fake.sendSlashCommand({ name: 'pin', options: { code: pin ?? '' }, userId: USER, channelId: DM_CHANNEL }), /Logged in/);

  const pictures = await fake.waitForInteractionResponse(
    fake.sendSlashCommand({ name: 'pictures', userId: USER, channelId: DM_CHANNEL }),
    (r) => r.events.some((e) => (e.message?.attachments.length ?? 0) === 3),
    15_000,
  );
  const message = pictures.events.find((e) => (e.message?.attachments.length ?? 0) === 3)?.message;
  assert.match(message?.content ?? '', /Front Door · [\s\S]*Living Room · [\s\S]*Porch · /);
  assert.doesNotMatch(demo.stdout(), /^\s+at /m, 'no stack trace on the terminal');
});
