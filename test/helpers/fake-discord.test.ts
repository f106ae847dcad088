import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { z } from 'zod';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord/index.js';
import { until } from './until.js';

// assert.ok always gets a message: without one Node re-parses the transpiled source to
// build it, which can take minutes on tsx output.
const GUILD = '200000000000000001';
const CHANNEL = '300000000000000001';
const USER = '400000000000000001';
const DM_CHANNEL = '500000000000000001';

interface Pair {
  fake: FakeDiscord;
  client: Client;
  /** Sets the handler for the next interactions; errors surface through `errors`. */
  onInteraction(handler: (interaction: Interaction) => Promise<void>): void;
  errors: unknown[];
}

async function startPair(t: TestContext, options: FakeDiscordOptions = {}): Promise<Pair> {
  const fake = await startFakeDiscord({
    guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'cameras', type: 0 }] }],
    heartbeatIntervalMs: 200,
    ...options,
  });
  // The options the bot must use: the API root only; no compression is configured
  // because zlib-sync is not installed (discord.js then connects with plain JSON).
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiRoot } });
  t.after(async () => {
    await client.destroy();
    await fake.close();
  });
  let handler: (interaction: Interaction) => Promise<void> = async () => undefined;
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => errors.push(error));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.botToken);
  await ready;
  return { fake, client, errors, onInteraction: (h) => (handler = h) };
}

test('a discord.js client logs in, sees the guild and heartbeats are acknowledged', async (t) => {
  const { fake, client } = await startPair(t);
  assert.equal(client.user?.id, fake.botUserId);
  assert.equal(client.application?.id, fake.applicationId);
  assert.equal(client.guilds.cache.get(GUILD)?.channels.cache.get(CHANNEL)?.name, 'cameras');
  assert.equal(fake.gatewayStats().identifies, 1);
  assert.equal(fake.callsOf('GET /gateway/bot').length, 1);
  // First heartbeat comes after jitter × 200 ms.
  await until(() => client.ws.ping >= 0, 'the first heartbeat acknowledged');
  assert.ok(fake.gatewayStats().heartbeats >= 1, 'fake.gatewayStats().heartbeats >= 1');
});

test('a wrong token is refused by REST', async () => {
  const fake = await startFakeDiscord({ botToken: 'right' });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiRoot } });
  try {
    await assert.rejects(client.login('wrong'), /token/i);
  } finally {
    await client.destroy();
    await fake.close();
  }
});

test('command registration is recorded, global and per guild', async (t) => {
  const { fake, client, onInteraction } = await startPair(t);
  const commands = [
    { name: 'snap', description: 'Take a picture', options: [{ type: 3, name: 'camera', description: 'camera', required: true, autocomplete: true }] },
    { name: 'status', description: 'Status' },
  ];
  const application = client.application;
  assert.ok(application, 'the client knows its application once ready');
  const set = await application.commands.set(commands);
  assert.equal(set.size, 2);
  await application.commands.set([{ name: 'login', description: 'Log in' }], GUILD);
  assert.equal(fake.commandRegistrations, 2);
  assert.deepEqual(
    fake.registeredCommands().map((c) => c.name),
    ['snap', 'status'],
  );
  assert.deepEqual(
    fake.registeredCommands({ guildId: GUILD }).map((c) => c.name),
    ['login'],
  );
  assert.equal(fake.callsOf('PUT /applications/:app/commands').length, 1);
  const fetched = await application.commands.fetch();
  assert.equal(fetched.size, 2);

  // An interaction for a registered command carries that command's id.
  let commandId: string | undefined;
  onInteraction(async (i) => {
    if (!i.isChatInputCommand()) return;
    commandId = i.commandId;
    await i.reply({ content: 'ok' });
  });
  const handle = fake.sendSlashCommand({ name: 'status', userId: USER, guildId: GUILD, channelId: CHANNEL });
  await fake.waitForInteractionResponse(handle);
  assert.equal(commandId, fake.registeredCommands().find((c) => c.name === 'status')?.id);
});

test('slash command in a guild: defer, then edit with an attachment kept byte-exact', async (t) => {
  const { fake, onInteraction, errors } = await startPair(t);
  const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 45, 45, 0]);
  const seen: Record<string, unknown> = {};
  onInteraction(async (i) => {
    if (!i.isChatInputCommand()) return;
    seen.camera = i.options.getString('camera');
    seen.limit = i.attachmentSizeLimit;
    seen.member = i.member?.user.id;
    seen.guild = i.guildId;
    seen.channel = i.channelId;
    await i.deferReply();
    await i.editReply({ content: 'here', files: [{ attachment: bytes, name: 'snap.jpg' }], allowedMentions: { parse: [] } });
  });
  const handle = fake.sendSlashCommand({
    name: 'snap',
    options: { camera: 'Front door' },
    userId: USER,
    guildId: GUILD,
    channelId: CHANNEL,
    attachmentSizeLimit: 26214400,
  });
  const result = await fake.waitForInteractionResponse(handle, (r) => r.events.some((e) => e.kind === 'edit'));
  assert.deepEqual(errors, []);
  assert.deepEqual(seen, { camera: 'Front door', limit: 26214400, member: USER, guild: GUILD, channel: CHANNEL });
  assert.deepEqual(
    result.events.map((e) => [e.kind, e.callbackType]),
    [
      ['callback', 5],
      ['edit', undefined],
    ],
  );
  // Recorded; how fast belongs to the bot's tests, not the fake's (and no wall-clock bound here).
  assert.ok(result.firstCallbackMs !== undefined, 'the first callback time is recorded');
  const edited = result.events[1]?.message;
  assert.equal(edited?.content, 'here');
  assert.equal(edited?.flags, 0);
  assert.deepEqual(edited?.allowed_mentions, { parse: [] });
  assert.equal(edited?.attachments.length, 1);
  assert.equal(edited?.attachments[0]?.filename, 'snap.jpg');
  assert.ok(edited?.attachments[0]?.bytes.equals(bytes), 'edited?.attachments[0]?.bytes.equals(bytes)');
  const inChannel = fake.channelMessages(CHANNEL);
  assert.equal(inChannel.length, 1);
  assert.equal(inChannel[0]?.source, 'interaction');
});

test('slash command in a DM: user not member, ephemeral reply and follow-up', async (t) => {
  const { fake, onInteraction, errors } = await startPair(t);
  const seen: Record<string, unknown> = {};
  onInteraction(async (i) => {
    if (!i.isChatInputCommand()) return;
    seen.user = i.user.id;
    seen.member = i.member;
    seen.guild = i.guildId;
    seen.channel = i.channelId;
    seen.context = i.context;
    seen.limit = i.attachmentSizeLimit;
    await i.reply({ content: 'secret', flags: MessageFlags.Ephemeral });
    await i.followUp({ content: 'more', flags: MessageFlags.Ephemeral });
  });
  const handle = fake.sendSlashCommand({ name: 'help', userId: USER, channelId: DM_CHANNEL });
  const result = await fake.waitForInteractionResponse(handle, (r) => r.events.length >= 2);
  assert.deepEqual(errors, []);
  assert.deepEqual(seen, { user: USER, member: null, guild: null, channel: DM_CHANNEL, context: 1, limit: 10485760 });
  assert.equal(result.events[0]?.callbackType, 4);
  assert.equal(result.events[0]?.message?.flags, 64);
  assert.equal(result.events[1]?.kind, 'followup');
  assert.equal(result.events[1]?.message?.flags, 64);
  assert.equal(result.events[1]?.message?.content, 'more');
});

test('autocomplete: focused option reaches the bot and respond() is recorded', async (t) => {
  const { fake, onInteraction } = await startPair(t);
  let focused: unknown;
  onInteraction(async (i) => {
    if (!i.isAutocomplete()) return;
    focused = i.options.getFocused(true);
    await i.respond([{ name: 'Front door', value: 'front-door' }]);
  });
  const handle = fake.sendAutocomplete({ name: 'snap', focused: 'camera', value: 'fr', userId: USER, guildId: GUILD, channelId: CHANNEL });
  const result = await fake.waitForInteractionResponse(handle);
  assert.deepEqual(focused, { name: 'camera', type: 3, value: 'fr', focused: true });
  assert.equal(result.events[0]?.callbackType, 8);
  assert.deepEqual(result.events[0]?.body, { type: 8, data: { choices: [{ name: 'Front door', value: 'front-door' }] } });
});

test('button press: update() edits the message, reply() answers', async (t) => {
  const { fake, client, onInteraction, errors } = await startPair(t);
  const channel = await client.channels.fetch(CHANNEL);
  assert.ok(channel?.isSendable(), 'channel?.isSendable()');
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('clip:1').setLabel('Send').setStyle(ButtonStyle.Primary));
  const sent = await channel.send({ content: 'clips', components: [row] });
  onInteraction(async (i) => {
    if (!i.isButton()) return;
    if (i.customId === 'clip:1') await i.update({ content: 'sending', components: [] });
    else await i.reply({ content: `got ${i.customId} on ${i.message.id}` });
  });
  const first = fake.pressButton({ customId: 'clip:1', userId: USER, guildId: GUILD, channelId: CHANNEL, messageId: sent.id });
  const updated = await fake.waitForInteractionResponse(first);
  assert.equal(updated.events[0]?.callbackType, 7);
  assert.equal(updated.events[0]?.message?.id, sent.id);
  assert.equal(fake.channelMessages(CHANNEL).find((m) => m.id === sent.id)?.content, 'sending');
  const second = fake.pressButton({ customId: 'other', userId: USER, guildId: GUILD, channelId: CHANNEL, messageId: sent.id });
  const replied = await fake.waitForInteractionResponse(second);
  assert.equal(replied.events[0]?.callbackType, 4);
  assert.equal(replied.events[0]?.message?.content, `got other on ${sent.id}`);
  assert.deepEqual(errors, []);
});

test('showModal in response to a command, then the modal submit carries the field values', async (t) => {
  const { fake, onInteraction, errors } = await startPair(t);
  let values: unknown;
  onInteraction(async (i) => {
    if (i.isChatInputCommand()) {
      const modal = new ModalBuilder()
        .setCustomId('login')
        .setTitle('Blink login')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId('email').setLabel('Email').setStyle(TextInputStyle.Short)),
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('password').setLabel('Password').setStyle(TextInputStyle.Short),
          ),
        );
      await i.showModal(modal);
    } else if (i.isModalSubmit()) {
      values = { id: i.customId, email: i.fields.getTextInputValue('email'), password: i.fields.getTextInputValue('password') };
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply('logged in');
    }
  });
  const command = fake.sendSlashCommand({ name: 'login', userId: USER, channelId: DM_CHANNEL });
  const shown = await fake.waitForInteractionResponse(command);
  assert.equal(shown.events[0]?.callbackType, 9);
  assert.match(JSON.stringify(shown.events[0]?.body), /"custom_id":"login"/);
  const submit = fake.submitModal({ customId: 'login', fields: { email: 'a@b.c', password: 'hunter2' }, userId: USER, channelId: DM_CHANNEL });
  const result = await fake.waitForInteractionResponse(submit, (r) => r.events.some((e) => e.kind === 'edit'));
  assert.deepEqual(values, { id: 'login', email: 'a@b.c', password: 'hunter2' });
  assert.equal(result.events[1]?.message?.flags, 64);
  assert.equal(result.events[1]?.message?.content, 'logged in');
  assert.deepEqual(errors, []);
});

test('a second callback is refused like Discord does (40060)', async (t) => {
  const { fake, onInteraction } = await startPair(t);
  let settle: (value: unknown) => void = () => undefined;
  const second = new Promise<unknown>((resolve) => (settle = resolve));
  onInteraction(async (i) => {
    if (!i.isChatInputCommand()) return;
    await i.reply('one');
    // Bypass discord.js's own "already replied" guard to reach the fake.
    settle(
      await i.client.rest
        .post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'two' } }, auth: false })
        .catch((e: unknown) => e),
    );
  });
  fake.sendSlashCommand({ name: 'x', userId: USER, channelId: DM_CHANNEL });
  const error = await second;
  assert.ok(error instanceof DiscordAPIError, 'error instanceof DiscordAPIError');
  assert.equal(error.code, 40060);
});

test('channel messages and DMs: multipart bytes kept, 429 waited out by @discordjs/rest', async (t) => {
  const { fake, client } = await startPair(t);
  const channel = await client.channels.fetch(CHANNEL);
  assert.ok(channel?.isSendable(), 'channel?.isSendable()');
  fake.failNext({ route: 'POST /channels/:channel/messages', status: 429, retryAfter: 0.05 });
  const video = Buffer.alloc(70_000, 7);
  video.write('--boundary\r\n', 100);
  await channel.send({ content: 'motion', files: [{ attachment: video, name: 'clip.mp4' }], allowedMentions: { parse: [] } });
  const statuses = fake.callsOf('POST /channels/:channel/messages').map((c) => c.status);
  assert.deepEqual(statuses, [429, 200]);
  const [message] = fake.channelMessages(CHANNEL);
  assert.ok(message?.attachments[0]?.bytes.equals(video), 'message?.attachments[0]?.bytes.equals(video)');
  assert.equal(message?.attachments[0]?.filename, 'clip.mp4');
  assert.deepEqual(message?.allowed_mentions, { parse: [] });

  fake.failNext({ route: 'POST /users/@me/channels', status: 429, retryAfter: 0.05, global: true });
  const user = await client.users.fetch(USER).catch(() => undefined);
  assert.equal(user, undefined); // GET /users/:id is not part of the fake
  const dm = await client.users.createDM(USER);
  await dm.send('hello');
  assert.deepEqual(
    fake.callsOf('POST /users/@me/channels').map((c) => c.status),
    [429, 200],
  );
  assert.equal(fake.channelMessages(dm.id)[0]?.content, 'hello');
});

test('injected 404 Unknown Webhook and 500 surface as DiscordAPIError', async (t) => {
  const { fake, onInteraction } = await startPair(t);
  let settle: (value: unknown[]) => void = () => undefined;
  const failures = new Promise<unknown[]>((resolve) => (settle = resolve));
  onInteraction(async (i) => {
    if (!i.isChatInputCommand()) return;
    await i.deferReply();
    const webhook = await i.editReply('late').catch((e: unknown) => e);
    const server = await i.followUp('again').catch((e: unknown) => e);
    settle([webhook, server]);
  });
  fake.failNext({ route: 'PATCH /webhooks/:app/:token/messages/:message', status: 404 });
  // @discordjs/rest retries a 500 (3 times by default), so four in a row reach the bot.
  fake.failNext({ route: 'POST /webhooks/:app/:token', status: 500, times: 4 });
  fake.sendSlashCommand({ name: 'x', userId: USER, channelId: DM_CHANNEL });
  const [webhook, server] = await failures;
  assert.ok(webhook instanceof DiscordAPIError, 'webhook instanceof DiscordAPIError');
  assert.equal(webhook.code, 10015);
  assert.equal(webhook.status, 404);
  assert.ok(server instanceof Error && 'status' in server, "server instanceof Error && 'status' in server");
  assert.equal(server.status, 500);
  assert.equal(fake.callsOf('POST /webhooks/:app/:token').length, 4);
});

test('dropping the gateway: the client resumes and gets events sent meanwhile', async (t) => {
  const { fake, client, onInteraction } = await startPair(t);
  const names: string[] = [];
  onInteraction(async (i) => {
    if (i.isChatInputCommand()) {
      names.push(i.commandName);
      await i.reply('ok');
    }
  });
  fake.disconnectGateway();
  const handle = fake.sendSlashCommand({ name: 'during', userId: USER, channelId: DM_CHANNEL });
  await fake.waitForInteractionResponse(handle);
  assert.deepEqual(names, ['during']);
  assert.equal(fake.gatewayStats().resumes, 1);
  assert.equal(fake.gatewayStats().identifies, 1);
  assert.ok(client.isReady(), 'client.isReady()');
});

test('client.destroy() and close() leave no sockets or servers behind', async () => {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 100 });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiRoot } });
  await client.login(fake.botToken);
  await new Promise<void>((resolve) => (client.isReady() ? resolve() : client.once(Events.ClientReady, () => resolve())));
  await client.destroy();
  await fake.close();
  // Earlier tests' sockets may still be closing: allow a short grace period.
  const tcp = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
  await until(() => tcp().length === 0, 'every TCP socket closed');
});

test('main.ts runs the fake as a process with an HTTP control API and stops on SIGTERM', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fake-discord/main.ts', import.meta.url).pathname], {
    env: { ...process.env, FAKE_DISCORD_CONFIG: JSON.stringify({ botToken: 'proc-token' }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  while (!output.includes('\n')) {
    const [chunk] = await once(child.stdout, 'data');
    output += String(chunk);
  }
  const info = z.object({ apiRoot: z.string(), controlRoot: z.string() }).parse(JSON.parse(output.split('\n')[0] ?? ''));
  const gateway = await fetch(`${info.apiRoot}/v10/gateway/bot`, { headers: { authorization: 'Bot proc-token' } });
  assert.equal(gateway.status, 200);
  assert.equal(gateway.headers.get('x-ratelimit-limit'), '50');
  const fault = await fetch(`${info.controlRoot}/fail-next`, { method: 'POST', body: JSON.stringify({ route: 'GET /users/@me', status: 429, retryAfter: 1 }) });
  assert.equal(fault.status, 200);
  const limited = await fetch(`${info.apiRoot}/v10/users/@me`, { headers: { authorization: 'Bot proc-token' } });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.deepEqual(await limited.json(), { message: 'You are being rate limited.', retry_after: 1, global: false, code: 0 });
  const calls = z.array(z.object({ route: z.string(), status: z.number() })).parse(await (await fetch(`${info.controlRoot}/calls`)).json());
  assert.deepEqual(
    calls.map((c) => [c.route, c.status]),
    [
      ['GET /gateway/bot', 200],
      ['GET /users/@me', 429],
    ],
  );
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
