import type { MediaLimits } from './media.js';
import type { Store } from './store.js';
import type { MediaInput, Params, RecordedFile } from './types.js';
import type { UpdateQueue } from './update-queue.js';

interface CallbackQueryState {
  readonly chatId: number;
  readonly messageId: number;
  readonly data: string;
  answered: boolean;
}

/** State that lives for the whole fake and is shared by every method handler. */
export interface FakeState {
  readonly store: Store;
  readonly queue: UpdateQueue;
  readonly limits: MediaLimits;
  readonly callbackQueries: Map<string, CallbackQueryState>;
  /** `setMyCommands` per `scope` + `language_code` key. */
  readonly commands: Map<string, unknown>;
  readonly webhook: { url: string };
  /** Epoch milliseconds; Telegram dates are seconds. */
  readonly now: () => number;
}

/** What one handler sees: the shared state plus this call's parameters and uploads. */
export interface MethodContext extends FakeState {
  readonly params: Params;
  readonly files: readonly RecordedFile[];
  /** Handlers push how each media parameter was given. */
  readonly media: MediaInput[];
  nowSeconds(): number;
}
