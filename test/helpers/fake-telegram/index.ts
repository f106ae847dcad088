export { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from './server.js';
export type { FailOptions, ResetOptions } from './faults.js';
export type { CallMatcher, WaitOptions } from './recorder.js';
export type { PressButtonInput, UserMessageInput } from './user-actions.js';
export type { FakeChat, FakeMessage, FakeUser, MediaInput, RecordedCall, RecordedFile } from './types.js';
