import type { ReceivedFile } from './multipart.js';

/** Parameters of one Bot API call, after decoding (JSON, form or multipart). */
export type Params = Record<string, unknown>;

/** An uploaded file, tied to the parameter that referenced it (`photo`, `video`, `media[0]`…). */
export interface RecordedFile extends ReceivedFile {
  readonly param: string;
}

/** How a media parameter was given: bytes uploaded, a `file_id` we issued, or a URL. */
export type MediaInput =
  | { readonly param: string; readonly source: 'upload'; readonly file: RecordedFile }
  | { readonly param: string; readonly source: 'file_id'; readonly fileId: string }
  | { readonly param: string; readonly source: 'url'; readonly url: string };

export interface ApiErrorBody {
  readonly ok: false;
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export type ApiResponse = { readonly ok: true; readonly result: unknown } | ApiErrorBody;

export type Transport = 'json' | 'multipart' | 'urlencoded' | 'query';

/** One HTTP call the bot made, recorded once the fake decided its answer. */
export interface RecordedCall {
  /** 1, 2, 3… in order of recording. */
  readonly seq: number;
  readonly method: string;
  readonly params: Params;
  readonly transport: Transport;
  /** Uploaded files only (see `media` for file_id / URL references). */
  readonly files: readonly RecordedFile[];
  readonly media: readonly MediaInput[];
  /** `Date.now()` when the request headers arrived. */
  readonly startedAt: number;
  /** `Date.now()` when the body was fully read and the call recorded. */
  readonly at: number;
  readonly response: ApiResponse;
  /** Set when the answer came from `failNext` / `conflictGetUpdates` / `resetConnectionNext`. */
  readonly injected?: 'fail' | 'reset';
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface FakeUser {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface FakeChat {
  readonly id: number;
  readonly type: ChatType;
  readonly title?: string;
  readonly first_name?: string;
  readonly username?: string;
}

/** A Telegram `Message` as JSON; the fake keeps it loosely typed on purpose. */
export type FakeMessage = Record<string, unknown> & {
  readonly message_id: number;
  readonly chat: FakeChat;
  readonly date: number;
};
