// Starts the fake Discord and the Discord front end against it, with a scripted dispatcher.
import type { TestContext } from 'node:test';
import type { Dispatcher, Inbound, Outcome } from '../../src/core/inbound.js';
import { createDiscordFrontEnd, type DiscordFrontEnd, type DiscordFrontEndOptions } from '../../src/discord/front-end.js';
import { createSilentLogger } from '../../src/log.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../helpers/fake-discord/index.js';

import { TWO_GUILDS } from '../helpers/discord-world.js';

export { CHANNEL, DM_CHANNEL, GUILD, IN_CHANNEL, OTHER_CHANNEL, OTHER_GUILD, USER } from '../helpers/discord-world.js';

export interface Harness {
  fake: FakeDiscord;
  frontEnd: DiscordFrontEnd;
  inbounds: Inbound[];
  /** What the dispatcher answers next (default: "ok"). */
  answer(fn: (inbound: Inbound) => Promise<Outcome> | Outcome): void;
}

export async function startFake(t: TestContext, options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({
    guilds: TWO_GUILDS,
    heartbeatIntervalMs: 500,
    ...options,
  });
  // Front ends must stop before the fake closes: a client that sees its gateway vanish
  // starts reconnecting, and a reconnect racing destroy() can keep the process alive.
  const stoppers: Array<() => Promise<void>> = [];
  frontEndStoppers.set(fake, stoppers);
  t.after(async () => {
    for (const stop of stoppers) await stop();
    await fake.close();
  });
  return fake;
}

const frontEndStoppers = new WeakMap<FakeDiscord, Array<() => Promise<void>>>();

export async function startFrontEnd(
  _t: TestContext,
  fake: FakeDiscord,
  overrides: Partial<DiscordFrontEndOptions> & { dispatcher: Dispatcher },
): Promise<DiscordFrontEnd> {
  const frontEnd = createDiscordFrontEnd({
    token: fake.botToken,
    applicationId: fake.applicationId,
    apiRoot: fake.apiRoot,
    slashCommands: [{ type: 1, name: 'status', description: 'Status', options: [] }],
    autocomplete: async () => [],
    uploadLimitBytes: 10 * 1024 * 1024,
    log: createSilentLogger(),
    ...overrides,
  });
  frontEndStoppers.get(fake)?.push(() => frontEnd.stop());
  await frontEnd.start();
  return frontEnd;
}

export async function startHarness(t: TestContext, overrides: Partial<DiscordFrontEndOptions> = {}, fakeOptions: FakeDiscordOptions = {}): Promise<Harness> {
  const fake = await startFake(t, fakeOptions);
  const inbounds: Inbound[] = [];
  let next: (inbound: Inbound) => Promise<Outcome> | Outcome = () => ({ reply: { parts: [{ type: 'text', text: 'ok' }] } });
  const dispatcher: Dispatcher = {
    async handle(inbound) {
      inbounds.push(inbound);
      return next(inbound);
    },
  };
  const frontEnd = await startFrontEnd(t, fake, { dispatcher, ...overrides });
  return { fake, frontEnd, inbounds, answer: (fn) => (next = fn) };
}
