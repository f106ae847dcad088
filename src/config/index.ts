export { type ChatRef, type ChatRefParse, formatChatRef, parseChatRef } from './chat-ref.js';
export {
  type Config,
  type DiscordConfig,
  type LoadConfigOptions,
  type LogLevel,
  type TelegramConfig,
  LOG_LEVELS,
  decodeSecretKey,
  loadConfig,
} from './load-config.js';
export { restUrlForTier } from './rest-url.js';
export { DOT_ENV_FILE, withDotEnv } from './dot-env.js';
export { liveRelayOptions } from './live-relay.js';
