export { formatChatRef, parseChatRef } from './chat-ref.js';
export {
  type Config,
  type DiscordConfig,
  type LogLevel,
  type TelegramConfig,
  LOG_LEVELS,
  decodeSecretKey,
  loadConfig,
} from './load-config.js';
export { restUrlForTier } from './rest-url.js';
export { withDotEnv } from './dot-env.js';
export { liveRelayOptions } from './live-relay.js';
