import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { SecretKeyError } from '../errors.js';

export const KEY_FILE_NAME = 'secret.key';

export interface LoadOrCreateKeyOptions {
  /** SECRET_KEY, already decoded; wins over the file. */
  readonly secretKeyFromEnv?: Buffer | undefined;
  /** The SQLite path; the key file lives beside it. */
  readonly databasePath: string;
  /** Key material source; default crypto.randomBytes. */
  readonly randomKey?: () => Buffer;
}

export interface LoadedKey {
  readonly key: Buffer;
  readonly source: 'env' | 'file' | 'created';
  /** Key file path (also when SECRET_KEY won, for messages). */
  readonly keyPath: string;
}

function decodeKeyFile(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  return undefined;
}

function readKeyFile(keyPath: string): Buffer {
  let text: string;
  try {
    text = readFileSync(keyPath, 'utf8');
  } catch (cause) {
    throw new SecretKeyError(`cannot read the key file ${keyPath}; fix its permissions or set SECRET_KEY`, { cause });
  }
  const key = decodeKeyFile(text);
  if (!key) {
    throw new SecretKeyError(
      `the key file ${keyPath} does not hold a 32-byte key (64 hex digits); restore it from a backup or set SECRET_KEY`,
    );
  }
  return key;
}

/**
 * The key that seals Blink tokens. SECRET_KEY wins; otherwise `secret.key` beside the
 * database is read, or created once: written to a temp file (mode 0600, exclusive create),
 * synced, then hard-linked into place, which fails rather than overwrite a key another
 * process created meanwhile (that key is used instead). A bad file is an error, never
 * replaced: the tokens sealed with it would be lost.
 */
export function loadOrCreateKey(options: LoadOrCreateKeyOptions): LoadedKey {
  const dir = path.dirname(path.resolve(options.databasePath));
  const keyPath = path.join(dir, KEY_FILE_NAME);
  if (options.secretKeyFromEnv) {
    if (options.secretKeyFromEnv.length !== 32) throw new SecretKeyError('SECRET_KEY must be 32 bytes');
    return { key: Buffer.from(options.secretKeyFromEnv), source: 'env', keyPath };
  }
  try {
    return { key: readKeyFile(keyPath), source: 'file', keyPath };
  } catch (error) {
    const missing =
      error instanceof SecretKeyError && error.cause instanceof Error && 'code' in error.cause && error.cause.code === 'ENOENT';
    if (!missing) throw error;
  }
  mkdirSync(dir, { recursive: true });
  const key = (options.randomKey ?? (() => randomBytes(32)))();
  if (key.length !== 32) throw new SecretKeyError('generated key is not 32 bytes');
  const tempPath = `${keyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tempPath, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tempPath, keyPath);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'EEXIST') {
      return { key: readKeyFile(keyPath), source: 'file', keyPath };
    }
    throw new SecretKeyError(`cannot create the key file ${keyPath}`, { cause });
  } finally {
    unlinkSync(tempPath);
  }
  return { key, source: 'created', keyPath };
}
