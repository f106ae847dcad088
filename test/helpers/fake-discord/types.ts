// Shapes the fake records and the options it accepts. Kept apart so the REST, gateway and
// control modules can share them without importing each other.

export interface FakeChannelConfig {
  id: string;
  name: string;
  /** Discord channel type: 0 text, 2 voice, 4 category, 5 announcement... */
  type: number;
}

export interface FakeGuildConfig {
  id: string;
  name?: string;
  channels: FakeChannelConfig[];
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botToken?: string;
  botUserId?: string;
  botUsername?: string;
  guilds?: FakeGuildConfig[];
  /** op 10 heartbeat_interval sent to the client; default 41250 like Discord. */
  heartbeatIntervalMs?: number;
  /** When set, a first callback later than this after dispatch gets 404 Unknown interaction (10062). */
  interactionDeadlineMs?: number;
  /** Host to bind; always loopback in tests. */
  host?: string;
  port?: number;
  /**
   * Attachments larger than this keep only their size and SHA-256, not their bytes (`bytes`
   * is then empty): a benchmark's 100 MB upload costs the fake no 100 MB. Default: keep all.
   */
  keepAttachmentBytesUpTo?: number;
}

export interface RecordedAttachment {
  id: string;
  filename: string;
  contentType: string;
  /** Empty when the file was larger than `keepAttachmentBytesUpTo`. */
  bytes: Buffer;
  size: number;
  sha256: string;
  description?: string;
}

/** A request whose body never arrived whole (the client gave up, or a `cutAfterBytes` fault). */
export interface AbortedCall {
  method: string;
  route: string;
  params: Record<string, string>;
  /** Body bytes the fake had received when the connection ended. */
  receivedBytes: number;
  /** The fake cut it (a fault), rather than the client. */
  cut: boolean;
  at: number;
}

type MessageSource = 'channel' | 'interaction';

export interface RecordedMessage {
  id: string;
  channelId: string;
  source: MessageSource;
  interactionId?: string;
  content: string;
  flags: number;
  embeds: unknown[];
  components: unknown[];
  allowed_mentions: unknown;
  attachments: RecordedAttachment[];
  createdAt: number;
  editedAt?: number;
  deleted: boolean;
  /** Number of edits applied (PATCH) since creation. */
  edits: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  /** Route template key, e.g. `POST /channels/:channel/messages`. */
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  status: number;
  body: unknown;
  files: RecordedAttachment[];
  at: number;
}

type InteractionEventKind = 'callback' | 'followup' | 'edit' | 'delete';

export interface InteractionEvent {
  kind: InteractionEventKind;
  /** Callback type for kind 'callback' (1,4,5,6,7,8,9). */
  callbackType?: number;
  /** `@original` or a message id for edits/deletes; the new id for follow-ups. */
  messageId?: string;
  /** Raw JSON body (payload_json for multipart). */
  body: unknown;
  /** The message after this event, when the event concerns a message. */
  message?: RecordedMessage;
  files: RecordedAttachment[];
  /** Milliseconds since the interaction was dispatched. */
  atMs: number;
}

export interface InteractionHandle {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId?: string;
  userId: string;
  payload: Record<string, unknown>;
  dispatchedAt: number;
}

export interface InteractionResult {
  events: InteractionEvent[];
  /** ms from dispatch to the first callback, or undefined if none yet. */
  firstCallbackMs: number | undefined;
}

export interface FaultSpec {
  /** Route key (`POST /channels/:channel/messages`) or `*` for any route. */
  route: string;
  /** Only calls whose `:channel` is this one (default: any). */
  channel?: string;
  status: number;
  /** Seconds, for 429. */
  retryAfter?: number;
  global?: boolean;
  times?: number;
  code?: number;
  message?: string;
  /** Instead of answering, close the connection once this many body bytes have arrived. */
  cutAfterBytes?: number;
}

export type CommandScope = 'global' | { guildId: string };
