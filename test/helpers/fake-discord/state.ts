// Everything the fake knows: channels, messages, interactions and their responses,
// registered commands, recorded calls. REST handlers, the gateway and the test-side API
// all read and write through this one object.
import { EventEmitter } from 'node:events';
import { cloneMessage } from './messages.js';
import { createSnowflakes, dmChannelPayload, guildChannelPayload, userPayload } from './payloads.js';
import type {
  AbortedCall,
  FakeDiscordOptions,
  FakeGuildConfig,
  InteractionEvent,
  InteractionHandle,
  InteractionResult,
  RecordedCall,
  RecordedMessage,
} from './types.js';

export interface InteractionRecord {
  handle: InteractionHandle;
  events: InteractionEvent[];
  callbackAt?: number;
  originalMessageId?: string;
  /** The message a component/modal interaction came from (type 6/7 act on it). */
  sourceMessageId?: string;
}

interface ChannelRecord {
  payload: Record<string, unknown>;
  guildId?: string;
}

export interface FakeState {
  applicationId: string;
  botToken: string;
  botUser: Record<string, unknown>;
  guilds: FakeGuildConfig[];
  options: FakeDiscordOptions;
  startedAt: string;
  newId: () => string;
  channels: Map<string, ChannelRecord>;
  messages: Map<string, RecordedMessage>;
  /** Messages invented because a test pressed a button on a message the bot never sent. */
  stubMessageIds: Set<string>;
  interactions: Map<string, InteractionRecord>;
  interactionsByToken: Map<string, InteractionRecord>;
  commands: Map<string, Array<Record<string, unknown>>>;
  commandRegistrations: { count: number };
  calls: RecordedCall[];
  /** Requests whose body never arrived whole. */
  abortedCalls: AbortedCall[];
  /** Request body bytes received so far, all requests together (tests watch an upload arrive). */
  bodyBytesReceived: number;
  changes: EventEmitter;
  dmChannelFor(userId: string): string;
  addMessage(message: RecordedMessage): void;
  recordEvent(record: InteractionRecord, event: Omit<InteractionEvent, 'atMs'>): void;
  result(record: InteractionRecord): InteractionResult;
}

export function scopeKey(guildId?: string): string {
  return guildId === undefined ? 'global' : `guild:${guildId}`;
}

export function createState(options: FakeDiscordOptions): FakeState {
  const newId = createSnowflakes();
  const applicationId = options.applicationId ?? '100000000000000001';
  const botUser = userPayload(options.botUserId ?? applicationId, options.botUsername ?? 'blink-bot', true);
  const channels = new Map<string, ChannelRecord>();
  const guilds = options.guilds ?? [];
  for (const guild of guilds) {
    guild.channels.forEach((channel, index) => {
      channels.set(channel.id, { payload: guildChannelPayload(guild.id, channel, index), guildId: guild.id });
    });
  }
  const dmByUser = new Map<string, string>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const messages = new Map<string, RecordedMessage>();

  const state: FakeState = {
    applicationId,
    botToken: options.botToken ?? 'fake-bot-token',
    botUser,
    guilds,
    options,
    startedAt: new Date().toISOString(),
    newId,
    channels,
    messages,
    stubMessageIds: new Set(),
    interactions: new Map(),
    interactionsByToken: new Map(),
    commands: new Map(),
    commandRegistrations: { count: 0 },
    calls: [],
    abortedCalls: [],
    bodyBytesReceived: 0,
    changes,
    dmChannelFor(userId) {
      const known = dmByUser.get(userId);
      if (known !== undefined) return known;
      const id = newId();
      dmByUser.set(userId, id);
      channels.set(id, { payload: dmChannelPayload(id, userPayload(userId)) });
      return id;
    },
    addMessage(message) {
      messages.set(message.id, message);
      changes.emit('change');
    },
    recordEvent(record, event) {
      const full: InteractionEvent = { ...event, atMs: Date.now() - record.handle.dispatchedAt };
      if (full.message !== undefined) full.message = cloneMessage(full.message);
      record.events.push(full);
      changes.emit('change');
    },
    result(record) {
      return {
        events: [...record.events],
        firstCallbackMs: record.callbackAt === undefined ? undefined : record.callbackAt - record.handle.dispatchedAt,
      };
    },
  };
  return state;
}
