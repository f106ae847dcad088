import type { ChatSender } from './sender.js';

/**
 * The one lifecycle every chat front end (Telegram, Discord, terminal) keeps, so the app
 * treats them alike (docs/architecture.md):
 * - `start()` resolves once the front end serves (polling, gateway ready, reading stdin). It
 *   may take long (a network that is not up yet: it retries), so the app does not wait on it.
 * - `stop()` is idempotent and prompt: it lets in-flight work finish within the front end's
 *   drain time, then aborts the rest. A front end never stops itself when something fails.
 * - A failure it cannot get past (a refused token, another instance polling) goes to the
 *   `FatalHandler` the app hands it, once; the app decides to stop and exit. A front end
 *   never exits the process.
 */
export interface FrontEnd {
  /** 'telegram', 'discord', 'terminal': the key in /healthz. */
  readonly name: string;
  readonly sender: ChatSender;
  connected(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Told once, with the error, when a front end cannot go on. */
export type FatalHandler = (error: Error) => void;
