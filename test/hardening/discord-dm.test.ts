/**
 * Discord DMs (issue "Trust" point 5), over the whole bot with the fake Discord: commands are
 * registered for guild installs and the guild and bot-DM contexts only; a command run in
 * someone else's DM (a user install, context 2) is not the user's private chat and does not
 * become the DM channel alerts go to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../helpers/until.js';
import { OWNER, OWNER_DM, startDiscordApp } from './discord-app-harness.js';

const FRONT_DOOR = 4001;
const FOREIGN_DM = '500000000000000777';

test('slash commands are registered with explicit install types (guild) and contexts (guild, bot DM)', async (t) => {
  const h = await startDiscordApp(t);
  await until(() => h.fake.registeredCommands().length > 0, 'commands registered', 15_000, 20);
  for (const command of h.fake.registeredCommands()) {
    assert.deepEqual(command['integration_types'], [0], String(command['name']));
    assert.deepEqual(command['contexts'], [0, 1], String(command['name']));
  }
});

test("a command in someone else's DM is not the user's private chat, and alerts still go to the bot DM", async (t) => {
  const h = await startDiscordApp(t);
  await h.login();
  const foreign = { userId: OWNER, channelId: FOREIGN_DM, context: 2 as const };
  const refused = await h.slash(foreign, 'status', {}, (m) => m.content.length > 0);
  assert.match(refused.content, new RegExp(`dc:${FOREIGN_DM}`), 'the one reply naming a chat that is not allowed');
  assert.doesNotMatch(refused.content, /Home/, "no status of the owner's cameras there");

  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 4000 });
  await h.app.alerts.pollNow(h.sessionId());
  const posts = (channel: string) => h.fake.channelMessages(channel).filter((m) => m.interactionId === undefined && !m.deleted);
  await until(() => posts(OWNER_DM).length === 1, 'the alert in the bot DM', 15_000, 20);
  assert.equal(posts(FOREIGN_DM).length, 0, 'nothing posted into the foreign DM');
});
