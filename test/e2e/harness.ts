/**
 * Black-box harness: spawns the real bot (`node --import tsx src/main.ts`) with an
 * environment only, exactly as a user runs it, against fakes and the Blink simulator
 * that live in the test process on 127.0.0.1 port 0. Every process gets its own temp
 * folder (database, key file) so files can run in parallel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { RecordedCall, FakeTelegram } from '../helpers/fake-telegram/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const EMAIL = 'owner@example.com';
export const PASSWORD = 'correct-horse-battery-staple';
/** Seed ids of the simulator's fixture account. */
export const FRONT_DOOR = 4001;
export const LIVING_ROOM = 5001;
export const PORCH = 6001;
export const HOME = 2001;
export const ACCOUNT = 1001;

export interface BotProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128+n for a signal). */
  readonly exited: Promise<number>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number>;
  /** Waits until stdout+stderr match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** A fresh temp folder removed after the test. */

/**
 * Spawns the bot with exactly `env` (plus PATH/HOME so node runs). Stopped in `t.after`
 * if the test did not stop it.
 */
export function spawnBot(t: TestContext | null, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString('utf8');
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString('utf8');
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 143)));
  });
  let running = true;
  void exited.then(() => {
    running = false;
    for (const l of listeners) l();
  });
  const stop = async (graceMs = 8000): Promise<number> => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return exited;
  };
  t?.after(() => stop(3000));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop,
    waitForOutput: (pattern, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out + err)) {
            done();
            resolve();
          } else if (!running) {
            done();
            reject(new Error(`bot exited before printing ${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${String(pattern)}\nstdout:\n${out.slice(-3000)}\nstderr:\n${err.slice(-3000)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

export const sha = (b: Buffer | undefined): string =>
  createHash('sha256')
    .update(b ?? Buffer.alloc(0))
    .digest('hex');

/** Text or caption the bot showed in a call. */
export const shown = (c: RecordedCall): string => String(c.params['text'] ?? c.params['caption'] ?? '');

const REPLY_METHODS = ['sendMessage', 'editMessageText', 'editMessageCaption', 'sendPhoto', 'sendVideo', 'sendDocument', 'editMessageMedia'];

/** Visible bot output to a chat (a new message or an edit), successful. */
const isOutput =
  (chatId: number) =>
  (c: RecordedCall): boolean =>
    String(c.params['chat_id']) === String(chatId) && c.response.ok && REPLY_METHODS.includes(c.method);

/** Every visible output call to a chat so far. */
export function outputsTo(fake: FakeTelegram, chatId: number, since = 0): RecordedCall[] {
  return fake.calls.filter((c) => c.seq > since && isOutput(chatId)(c));
}

export interface TelegramUser {
  /** Sends `text` as the user in `chatId`; waits for a bot output matching `expected`. */
  say(chatId: number, userId: number, text: string, expected: RegExp, method?: string, timeoutMs?: number): Promise<RecordedCall>;
  press(chatId: number, userId: number, message: RecordedCall, index: number, expected: RegExp, method?: string): Promise<RecordedCall>;
}

export function buttonsOf(call: RecordedCall): { text: string; callback_data?: string }[] {
  const markup = call.params['reply_markup'];
  const parsed: unknown = typeof markup === 'string' ? JSON.parse(markup) : markup;
  if (parsed === null || typeof parsed !== 'object' || !('inline_keyboard' in parsed) || !Array.isArray(parsed.inline_keyboard)) return [];
  const out: { text: string; callback_data?: string }[] = [];
  for (const row of parsed.inline_keyboard as unknown[]) {
    if (!Array.isArray(row)) continue;
    for (const b of row as unknown[]) {
      if (b !== null && typeof b === 'object' && 'text' in b) {
        const text = String(b.text);
        const data = 'callback_data' in b ? String(b.callback_data) : undefined;
        out.push(data === undefined ? { text } : { text, callback_data: data });
      }
    }
  }
  return out;
}

/** The message id a bot call created or edited. */
export function messageIdOf(call: RecordedCall): number {
  const r = call.response;
  if (r.ok && r.result !== null && typeof r.result === 'object' && 'message_id' in r.result) return Number(r.result.message_id);
  return Number(call.params['message_id']);
}

export function telegramUser(fake: FakeTelegram): TelegramUser {
  const matches =
    (chatId: number, expected: RegExp, method?: string) =>
    (c: RecordedCall): boolean =>
      isOutput(chatId)(c) && expected.test(shown(c)) && (method === undefined || c.method === method);
  return {
    async say(chatId, userId, text, expected, method, timeoutMs = 10_000) {
      const since = fake.calls.length;
      fake.sendUserMessage({ chatId, userId, text });
      try {
        return await fake.waitFor(matches(chatId, expected, method), { since, timeoutMs });
      } catch (error) {
        const seen = outputsTo(fake, chatId, since).map((c) => `${c.method}: ${shown(c)}`);
        throw new Error(`"${text}" → expected ${String(expected)}${method ? ` via ${method}` : ''}; the bot showed:\n${seen.join('\n---\n') || '(nothing)'}`, {
          cause: error,
        });
      }
    },
    async press(chatId, userId, message, index, expected, method) {
      const since = fake.calls.length;
      const data = buttonsOf(message)[index]?.callback_data ?? '';
      fake.pressButton({ chatId, userId, messageId: messageIdOf(message), data });
      try {
        return await fake.waitFor(matches(chatId, expected, method), { since, timeoutMs: 10_000 });
      } catch (error) {
        const seen = outputsTo(fake, chatId, since).map((c) => `${c.method}: ${shown(c)}`);
        throw new Error(`button ${index} → expected ${String(expected)}; the bot showed:\n${seen.join('\n---\n') || '(nothing)'}`, { cause: error });
      }
    },
  };
}

/** Reads rows from the bot's SQLite file without writing (WAL readers do not block it). */
export function readRows(dbPath: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(sql)
      .all(...params)
      .filter((row): row is Record<string, unknown> => row !== null && typeof row === 'object');
  } finally {
    db.close();
  }
}

/**
 * Real time on purpose: the bot is a child process talking to the fakes over real sockets,
 * so "nothing more arrives" can only be checked by waiting a little.
 */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
