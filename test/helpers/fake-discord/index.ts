// A fake Discord (REST + gateway) that discord.js 14 runs against unmodified.
// See README.md beside this file for the Client options the bot must use.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControlHandler } from './control-http.js';
import { createFaults } from './faults.js';
import { createGateway, type GatewayStats } from './gateway.js';
import {
  autocompletePayload,
  buttonPayload,
  modalPayload,
  registerInteraction,
  slashCommandPayload,
  type AutocompleteInput,
  type ButtonInput,
  type InteractionWhere,
  type ModalInput,
  type SlashCommandInput,
} from './interactions.js';
import { cloneMessage } from './messages.js';
import { createRestHandler } from './rest-server.js';
import { createState, scopeKey, type FakeState } from './state.js';
import type { AbortedCall, CommandScope, FakeDiscordOptions, FaultSpec, InteractionHandle, InteractionResult, RecordedCall, RecordedMessage } from './types.js';
import { waitFor } from './wait.js';
import { until } from '../until.js';

export type * from './types.js';

type ResultPredicate = (result: InteractionResult) => boolean;

export interface FakeDiscord {
  /** Give this to the bot as DISCORD_API_ROOT, e.g. http://127.0.0.1:PORT/api */
  apiRoot: string;
  gatewayUrl: string;
  applicationId: string;
  botToken: string;
  botUserId: string;
  close(): Promise<void>;
  sendSlashCommand(input: SlashCommandInput): InteractionHandle;
  sendAutocomplete(input: AutocompleteInput): InteractionHandle;
  pressButton(input: ButtonInput): InteractionHandle;
  submitModal(input: ModalInput): InteractionHandle;
  /** Resolves once `predicate` holds (default: a callback arrived). */
  waitForInteractionResponse(handle: InteractionHandle, predicate?: ResultPredicate, timeoutMs?: number): Promise<InteractionResult>;
  interactionResult(handle: InteractionHandle): InteractionResult;
  calls(): RecordedCall[];
  callsOf(route: string): RecordedCall[];
  waitForCall(route: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Every live message in the channel, channel posts and interaction replies alike (see `source`). */
  channelMessages(channelId: string): RecordedMessage[];
  waitForChannelMessage(channelId: string, predicate?: (m: RecordedMessage) => boolean, timeoutMs?: number): Promise<RecordedMessage>;
  registeredCommands(scope?: CommandScope): Array<Record<string, unknown>>;
  readonly commandRegistrations: number;
  /** Requests whose body never arrived whole (cut by a fault, or given up by the client). */
  abortedCalls(): AbortedCall[];
  /** Request body bytes received so far, all requests together. */
  bodyBytesReceived(): number;
  failNext(spec: FaultSpec): void;
  clearFaults(): void;
  disconnectGateway(options?: { code?: number; abrupt?: boolean }): void;
  gatewayConnected(): boolean;
  gatewayStats(): GatewayStats;
  /** Resolves when a client has identified (or resumed) and is connected. */
  waitForGateway(timeoutMs?: number): Promise<void>;
  /** Internal state, for the HTTP control API. */
  readonly state: FakeState;
}

// Generous, as until()'s: a loaded CI machine can stall a loopback round trip for seconds.
const DEFAULT_WAIT_MS = 15_000;

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('fake-discord: no TCP address'));
      else resolve(address);
    });
  });
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = createState(options);
  const faults = createFaults();
  let origin = '';
  const gatewayUrl = (): string => `${origin.replace(/^http/, 'ws')}/gateway`;
  const gateway = createGateway({ state, url: gatewayUrl });
  const rest = createRestHandler({ state, faults, gatewayUrl });
  const control: { handler?: (path: string, body: Buffer) => Promise<{ status: number; body: unknown }> } = {};

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/api/') || path === '/api') {
      void rest(req, res, path.slice('/api'.length) || '/');
      return;
    }
    if (path.startsWith('/__fake/') && control.handler !== undefined) {
      const handler = control.handler;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        handler(path, Buffer.concat(chunks)).then(
          (r) => {
            res.writeHead(r.status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(r.body));
          },
          (error: unknown) => {
            // Bad input (zod, JSON) is the caller's fault; say so with a 400.
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: String(error) }));
          },
        );
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] === '/gateway') gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  origin = `http://${address.address}:${address.port}`;

  const dispatch = (payload: Record<string, unknown>, where: InteractionWhere, sourceMessageId?: string): InteractionHandle => {
    const record = registerInteraction(state, payload, where, sourceMessageId);
    gateway.dispatch('INTERACTION_CREATE', payload);
    return record.handle;
  };
  const recordOf = (handle: InteractionHandle) => {
    const record = state.interactions.get(handle.id);
    if (record === undefined) throw new Error(`fake-discord: unknown interaction ${handle.id}`);
    return record;
  };
  const liveMessages = (channelId: string): RecordedMessage[] =>
    [...state.messages.values()].filter((m) => m.channelId === channelId && !m.deleted && !state.stubMessageIds.has(m.id)).map(cloneMessage);

  let closed = false;
  const fake: FakeDiscord = {
    apiRoot: `${origin}/api`,
    gatewayUrl: gatewayUrl(),
    applicationId: state.applicationId,
    botToken: state.botToken,
    botUserId: String(state.botUser.id),
    state,
    async close() {
      if (closed) return;
      closed = true;
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    sendSlashCommand: (input) => dispatch(slashCommandPayload(state, input), input),
    sendAutocomplete: (input) => dispatch(autocompletePayload(state, input), input),
    pressButton: (input) => dispatch(buttonPayload(state, input), input, input.messageId),
    submitModal: (input) => dispatch(modalPayload(state, input), input, input.messageId),
    waitForInteractionResponse(handle, predicate = (r) => r.events.some((e) => e.kind === 'callback'), timeoutMs = DEFAULT_WAIT_MS) {
      const record = recordOf(handle);
      return waitFor(
        state,
        () => {
          const result = state.result(record);
          return predicate(result) ? result : undefined;
        },
        timeoutMs,
        `the response to interaction ${handle.id}`,
      );
    },
    interactionResult: (handle) => state.result(recordOf(handle)),
    calls: () => [...state.calls],
    callsOf: (route) => state.calls.filter((c) => c.route === route),
    waitForCall(route, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      return waitFor(state, () => state.calls.find((c) => c.route === route && predicate(c)), timeoutMs, `a call to ${route}`);
    },
    channelMessages: liveMessages,
    waitForChannelMessage(channelId, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      return waitFor(state, () => liveMessages(channelId).find(predicate), timeoutMs, `a message in channel ${channelId}`);
    },
    registeredCommands: (scope = 'global') => [...(state.commands.get(scope === 'global' ? 'global' : scopeKey(scope.guildId)) ?? [])],
    get commandRegistrations() {
      return state.commandRegistrations.count;
    },
    abortedCalls: () => [...state.abortedCalls],
    bodyBytesReceived: () => state.bodyBytesReceived,
    failNext: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    disconnectGateway: (opts) => gateway.disconnect(opts),
    gatewayConnected: () => gateway.connected(),
    gatewayStats: () => gateway.stats(),
    async waitForGateway(timeoutMs = DEFAULT_WAIT_MS) {
      // Connection state lives in the gateway; a short poll keeps the gateway free of waiters.
      await until(() => gateway.connected(), 'fake-discord: a gateway client', timeoutMs);
    },
  };
  control.handler = createControlHandler(fake);
  return fake;
}
