import { randomBytes, randomInt } from 'node:crypto';
import type { ChatType } from './types.js';

/** Ids shaped like Telegram's, so code that assumes sizes or signs meets the real thing. */
export function newUserId(): number {
  return randomInt(5_000_000_000, 7_999_999_999);
}

/** Basic groups are negative 10-digit ids today; supergroups and channels are `-100` + 10 digits. */
export function newChatId(type: ChatType): number {
  if (type === 'group') return -randomInt(4_000_000_000, 4_999_999_999);
  if (type === 'supergroup' || type === 'channel') {
    return -(1_000_000_000_000 + randomInt(1_000_000_000, 2_999_999_999));
  }
  return newUserId();
}

export function newBotId(): number {
  return randomInt(6_000_000_000, 8_999_999_999);
}

export function firstUpdateId(): number {
  return randomInt(100_000_000, 900_000_000);
}

export function firstMessageId(): number {
  return randomInt(10, 5_000);
}

/** Callback query ids are long decimal strings. */
export function newCallbackQueryId(): string {
  return `${randomInt(1_000_000_000, 9_999_999_999)}${randomInt(100_000_000, 999_999_999)}`;
}

export type FileKind = 'photo' | 'video' | 'document' | 'animation' | 'audio' | 'voice' | 'sticker';

const FILE_PREFIX: Record<FileKind, string> = {
  photo: 'AgACAgQAAxkDAAI',
  video: 'BAACAgQAAxkDAAI',
  document: 'BQACAgQAAxkDAAI',
  animation: 'CgACAgQAAxkDAAI',
  audio: 'CQACAgQAAxkDAAI',
  voice: 'AwACAgQAAxkDAAI',
  sticker: 'CAACAgQAAxkDAAI',
};

export function newFileId(kind: FileKind): string {
  return FILE_PREFIX[kind] + randomBytes(48).toString('base64url');
}

export function newFileUniqueId(): string {
  return `AQAD${randomBytes(9).toString('base64url')}`;
}
