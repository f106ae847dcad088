import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { SecretKeyError } from '../errors.js';
import { keyIdOf, keyIdOfSealed } from './sealer.js';

const KEY_FILE_NAME = 'secret.key';

export interface LoadOrCreateKeyOptions {
  /** SECRET_KEY, already decoded; wins over the file. */
  readonly secretKeyFromEnv?: Buffer | undefined;
  /** The SQLite path; the key file lives beside it. */
  readonly databasePath: string;
  /** Key material source; default crypto.randomBytes. */
  readonly randomKey?: () => Buffer;
  /**
   * The sealed tokens stored in the database (db/sealed-tokens.ts). The key must be the
   * one that sealed them, and no key is created while any exist.
   */
  readonly sealed?: readonly Buffer[];
}

export interface LoadedKey {
  readonly key: Buffer;
  readonly source: 'env' | 'file' | 'created';
  /** Key file path (also when SECRET_KEY won, for messages). */
  readonly keyPath: string;
}

/**
 * Writes `key` (hex, one line) to a new file beside `keyPath`, readable by the owner only and
 * synced, and returns its path: `<keyPath>.<pid>.<random>.tmp`, the name a start looks for
 * when the key file is missing (an interrupted rotate-key). The caller moves it into place.
 */
export function writeKeyTempFile(keyPath: string, key: Buffer): string {
  const tempPath = `${keyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tempPath, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tempPath;
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
    throw new SecretKeyError(`the key file ${keyPath} does not hold a 32-byte key (64 hex digits); restore it from a backup or set SECRET_KEY`);
  }
  return key;
}

/** Key ids (hex) of the sealed values, most used first, with their counts. */
function sealedKeyIds(sealed: readonly Buffer[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const blob of sealed) {
    // A value without our header cannot be tied to any key: it is a corrupt row, which the
    // bot clears when it is used, not a reason to refuse the key.
    const id = keyIdOfSealed(blob)?.toString('hex');
    if (id !== undefined) ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  return new Map([...ids].sort((a, b) => b[1] - a[1]));
}

const describeIds = (ids: Map<string, number>): string => [...ids].map(([id, n]) => `${n} session(s) sealed with key id ${id}`).join(', ');

/** Temp key files of an interrupted rotate-key that hold `wantedId`, for the operator. */
function strandedKeyFiles(keyPath: string, wantedIds: ReadonlySet<string>): string[] {
  const dir = path.dirname(keyPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(`${KEY_FILE_NAME}.`) && name.endsWith('.tmp'))
    .map((name) => path.join(dir, name))
    .filter((file) => {
      try {
        const key = decodeKeyFile(readFileSync(file, 'utf8'));
        return key !== undefined && wantedIds.has(keyIdOf(key).toString('hex'));
      } catch {
        return false;
      }
    });
}

/** Refuses a key that did not seal every stored session (SecretKeyError); changes nothing. */
function assertKeyOpensSealed(loaded: LoadedKey, sealed: readonly Buffer[], databasePath: string): void {
  const ids = sealedKeyIds(sealed);
  const own = keyIdOf(loaded.key).toString('hex');
  const foreign = new Map([...ids].filter(([id]) => id !== own));
  if (foreign.size === 0) return;
  const held = `${databasePath} holds ${describeIds(ids)}`;
  if (loaded.source === 'env') {
    let hint = 'Set SECRET_KEY to the key that sealed them and start again.';
    if (existsSync(loaded.keyPath)) {
      try {
        if (ids.size === 1 && foreign.has(keyIdOf(readKeyFile(loaded.keyPath)).toString('hex'))) {
          hint = `${loaded.keyPath} holds that key: unset SECRET_KEY to use it, or set SECRET_KEY to it.`;
        }
      } catch {
        // An unreadable key file is no hint; the general advice stands.
      }
    }
    throw new SecretKeyError(`SECRET_KEY (key id ${own}) is not the key that sealed the stored Blink sessions: ${held}. ${hint} Nothing was changed.`);
  }
  const stranded = strandedKeyFiles(loaded.keyPath, new Set(foreign.keys()));
  const hint =
    stranded.length > 0
      ? `An interrupted rotate-key left the key that sealed them in ${stranded.join(', ')}: move it to ${loaded.keyPath} and start again.`
      : `Restore the ${KEY_FILE_NAME} that belongs to this database (from the same backup) into ${path.dirname(loaded.keyPath)}, or set SECRET_KEY to that key, and start again.`;
  throw new SecretKeyError(`${loaded.keyPath} (key id ${own}) is not the key that sealed the stored Blink sessions: ${held}. ${hint} Nothing was changed.`);
}

/**
 * The key that seals Blink tokens. SECRET_KEY wins; otherwise `secret.key` beside the
 * database is read. Either must be the key that sealed the stored sessions (`sealed`),
 * or this refuses with a SecretKeyError that says what to do, having changed nothing.
 * The file is created only while no sealed session exists (a first run): written to a
 * temp file (mode 0600, exclusive create), synced, then hard-linked into place, which
 * fails rather than overwrite a key another process created meanwhile (that key is used
 * instead). A bad file is an error, never replaced: the tokens sealed with it would be lost.
 */
export function loadOrCreateKey(options: LoadOrCreateKeyOptions): LoadedKey {
  const dir = path.dirname(path.resolve(options.databasePath));
  const keyPath = path.join(dir, KEY_FILE_NAME);
  const sealed = options.sealed ?? [];
  if (options.secretKeyFromEnv) {
    if (options.secretKeyFromEnv.length !== 32) throw new SecretKeyError('SECRET_KEY must be 32 bytes');
    const loaded: LoadedKey = { key: Buffer.from(options.secretKeyFromEnv), source: 'env', keyPath };
    assertKeyOpensSealed(loaded, sealed, options.databasePath);
    return loaded;
  }
  try {
    const loaded: LoadedKey = { key: readKeyFile(keyPath), source: 'file', keyPath };
    assertKeyOpensSealed(loaded, sealed, options.databasePath);
    return loaded;
  } catch (error) {
    const missing = error instanceof SecretKeyError && error.cause instanceof Error && 'code' in error.cause && error.cause.code === 'ENOENT';
    if (!missing) throw error;
  }
  const ids = sealedKeyIds(sealed);
  if (ids.size > 0) {
    const stranded = strandedKeyFiles(keyPath, new Set(ids.keys()));
    const where =
      stranded.length > 0
        ? `An interrupted rotate-key left that key in ${stranded.join(', ')}: move it to ${keyPath}`
        : `Restore ${KEY_FILE_NAME} from your backup into ${dir}, or set SECRET_KEY to that key`;
    throw new SecretKeyError(
      `the key file ${keyPath} is missing, but ${options.databasePath} holds ${describeIds(ids)}. ${where}, and start again. ` +
        'Nothing was changed: no new key was made, as it could never open those sessions.',
    );
  }
  mkdirSync(dir, { recursive: true });
  const key = (options.randomKey ?? (() => randomBytes(32)))();
  if (key.length !== 32) throw new SecretKeyError('generated key is not 32 bytes');
  const tempPath = writeKeyTempFile(keyPath, key);
  try {
    linkSync(tempPath, keyPath);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'EEXIST') {
      const raced: LoadedKey = { key: readKeyFile(keyPath), source: 'file', keyPath };
      assertKeyOpensSealed(raced, sealed, options.databasePath);
      return raced;
    }
    throw new SecretKeyError(`cannot create the key file ${keyPath}`, { cause });
  } finally {
    unlinkSync(tempPath);
  }
  return { key, source: 'created', keyPath };
}
