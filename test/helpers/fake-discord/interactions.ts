// Test-side construction of INTERACTION_CREATE payloads (slash, autocomplete, button,
// modal) in a guild channel or a DM, shaped like Discord's v10 payloads.
import { randomBytes } from 'node:crypto';
import { ALL_PERMISSIONS, dmChannelPayload, guildChannelPayload, memberPayload, messagePayload, userPayload } from './payloads.js';
import { scopeKey, type FakeState, type InteractionRecord } from './state.js';
import type { InteractionHandle } from './types.js';

const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawOption[];
  focused?: boolean;
}

type OptionsInput = RawOption[] | Record<string, string | number | boolean>;

export interface InteractionWhere {
  userId: string;
  channelId: string;
  guildId?: string;
  username?: string;
  locale?: string;
  attachmentSizeLimit?: number;
  appPermissions?: string;
  /** Interaction context: default 0 in a guild, 1 (the bot's DM) elsewhere; 2 is another DM or group DM (user install). */
  context?: 0 | 1 | 2;
}

export interface SlashCommandInput extends InteractionWhere {
  name: string;
  options?: OptionsInput;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** Name of the focused option and what the user has typed so far. */
  focused: string;
  value: string;
}

export interface ButtonInput extends InteractionWhere {
  customId: string;
  messageId: string;
}

export interface ModalInput extends InteractionWhere {
  customId: string;
  fields: Record<string, string>;
  /** Set when the modal was opened from a message component. */
  messageId?: string;
}

function toRawOptions(input: OptionsInput | undefined): RawOption[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, value]) => {
    if (typeof value === 'boolean') return { name, type: 5, value };
    if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 4 : 10, value };
    return { name, type: 3, value };
  });
}

function channelFor(state: FakeState, where: InteractionWhere): Record<string, unknown> {
  const known = state.channels.get(where.channelId);
  if (known !== undefined) return { ...known.payload, permissions: ALL_PERMISSIONS };
  if (where.guildId !== undefined) {
    return { ...guildChannelPayload(where.guildId, { id: where.channelId, name: `channel-${where.channelId}`, type: 0 }, 0), permissions: ALL_PERMISSIONS };
  }
  const payload = dmChannelPayload(where.channelId, userPayload(where.userId, where.username));
  state.channels.set(where.channelId, { payload });
  return payload;
}

function basePayload(state: FakeState, type: number, where: InteractionWhere, data: Record<string, unknown>): Record<string, unknown> {
  const user = userPayload(where.userId, where.username);
  const inGuild = where.guildId !== undefined;
  const locale = where.locale ?? 'en-US';
  return {
    id: state.newId(),
    application_id: state.applicationId,
    type,
    data,
    token: `fake-itoken-${randomBytes(24).toString('hex')}`,
    version: 1,
    channel: channelFor(state, where),
    channel_id: where.channelId,
    ...(inGuild
      ? { guild_id: where.guildId, guild: { id: where.guildId, locale, features: [] }, guild_locale: locale, member: memberPayload(user, state.startedAt) }
      : { user }),
    app_permissions: where.appPermissions ?? ALL_PERMISSIONS,
    locale,
    entitlements: [],
    authorizing_integration_owners: inGuild ? { '0': where.guildId } : where.context === 2 ? { '1': where.userId } : { '0': '0' },
    context: where.context ?? (inGuild ? 0 : 1),
    attachment_size_limit: where.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
  };
}

function commandData(state: FakeState, input: SlashCommandInput, options: RawOption[]): Record<string, unknown> {
  const guildCommand = input.guildId === undefined ? undefined : state.commands.get(scopeKey(input.guildId))?.find((c) => c.name === input.name);
  const command = guildCommand ?? state.commands.get('global')?.find((c) => c.name === input.name);
  const id = typeof command?.id === 'string' ? command.id : state.newId();
  return {
    id,
    name: input.name,
    type: 1,
    options,
    ...(guildCommand !== undefined && input.guildId !== undefined ? { guild_id: input.guildId } : {}),
  };
}

export function slashCommandPayload(state: FakeState, input: SlashCommandInput): Record<string, unknown> {
  return basePayload(state, 2, input, commandData(state, input, toRawOptions(input.options)));
}

export function autocompletePayload(state: FakeState, input: AutocompleteInput): Record<string, unknown> {
  const options = toRawOptions(input.options).filter((o) => o.name !== input.focused);
  options.push({ name: input.focused, type: 3, value: input.value, focused: true });
  return basePayload(state, 4, input, commandData(state, input, options));
}

/** The message a component lives on; a stub is stored when the test names an unknown one. */
function sourceMessage(state: FakeState, messageId: string, channelId: string): Record<string, unknown> {
  let message = state.messages.get(messageId);
  if (message === undefined) {
    message = {
      id: messageId,
      channelId,
      source: 'channel',
      content: '',
      flags: 0,
      embeds: [],
      components: [],
      allowed_mentions: undefined,
      attachments: [],
      createdAt: Date.now(),
      deleted: false,
      edits: 0,
    };
    state.messages.set(messageId, message);
    state.stubMessageIds.add(messageId);
  }
  return messagePayload(message, state.botUser, message.source === 'interaction' ? state.applicationId : undefined);
}

export function buttonPayload(state: FakeState, input: ButtonInput): Record<string, unknown> {
  const payload = basePayload(state, 3, input, { custom_id: input.customId, component_type: 2 });
  payload.message = sourceMessage(state, input.messageId, input.channelId);
  return payload;
}

export function modalPayload(state: FakeState, input: ModalInput): Record<string, unknown> {
  const components = Object.entries(input.fields).map(([customId, value]) => ({
    type: 1,
    components: [{ type: 4, custom_id: customId, value }],
  }));
  const payload = basePayload(state, 5, input, { custom_id: input.customId, components });
  if (input.messageId !== undefined) payload.message = sourceMessage(state, input.messageId, input.channelId);
  return payload;
}

/** Stores the interaction so callbacks/webhooks can find it, and returns the handle. */
export function registerInteraction(state: FakeState, payload: Record<string, unknown>, where: InteractionWhere, sourceMessageId?: string): InteractionRecord {
  const handle: InteractionHandle = {
    id: String(payload.id),
    token: String(payload.token),
    type: Number(payload.type),
    channelId: where.channelId,
    userId: where.userId,
    payload,
    dispatchedAt: Date.now(),
  };
  if (where.guildId !== undefined) handle.guildId = where.guildId;
  const record: InteractionRecord = { handle, events: [] };
  if (sourceMessageId !== undefined) record.sourceMessageId = sourceMessageId;
  state.interactions.set(handle.id, record);
  state.interactionsByToken.set(handle.token, record);
  return record;
}
