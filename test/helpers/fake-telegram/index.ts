export { startFakeTelegram, type FakeTelegram } from './server.js';
export type { RecordedCall } from './types.js';
