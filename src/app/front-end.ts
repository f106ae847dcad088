import type { ChatSender } from '../core/sender.js';

/** What the wiring needs of any chat front end (Telegram, Discord, terminal). */
export interface FrontEnd {
  /** 'telegram', 'discord', 'terminal': the key in /healthz. */
  readonly name: string;
  readonly sender: ChatSender;
  connected(): boolean;
  /** Must not stop by itself when the app's signal aborts: the app stops it in order. */
  start(signal: AbortSignal): Promise<void> | void;
  stop(): Promise<void> | void;
}
