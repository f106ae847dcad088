import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SealError } from '../errors.js';

/**
 * Blob layout (version 1):
 *   [0]      version = 1
 *   [1..8]   key id: first 8 bytes of SHA-256("blink-bot key id\0" + key)
 *   [9..20]  12-byte random nonce
 *   [21..36] GCM tag
 *   [37..]   ciphertext
 * The header (version + key id) and the caller's AAD are both authenticated.
 */
const VERSION = 1;
const KEY_ID_LENGTH = 8;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + KEY_ID_LENGTH;
const MIN_LENGTH = HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH;

export interface Sealer {
  /** 8-byte fingerprint of the key (safe to log): tells which key sealed a blob. */
  readonly keyId: Buffer;
  /** Encrypts `plaintext`, bound to `aad` (e.g. the owner id of the session row). */
  seal(plaintext: string, aad: string): Buffer;
  /** Decrypts; throws `SealError` for a wrong key, wrong AAD or any altered byte. */
  open(blob: Buffer, aad: string): string;
}

export function keyIdOf(key: Buffer): Buffer {
  return createHash('sha256').update('blink-bot key id\0').update(key).digest().subarray(0, KEY_ID_LENGTH);
}

/** The id of the key that sealed `blob`, read from its header; undefined when the header is not ours. */
export function keyIdOfSealed(blob: Buffer): Buffer | undefined {
  if (blob.length < MIN_LENGTH || blob[0] !== VERSION) return undefined;
  return Buffer.from(blob.subarray(1, HEADER_LENGTH));
}

/** AES-256-GCM with a 32-byte key. The key is copied, so later changes to the caller's buffer do not matter. */
export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new SealError('the sealing key must be 32 bytes');
  const secret = Buffer.from(key);
  const keyId = keyIdOf(secret);
  const aadFor = (header: Buffer, aad: string): Buffer => Buffer.concat([header, Buffer.from(aad, 'utf8')]);
  return {
    keyId: Buffer.from(keyId),
    seal(plaintext, aad) {
      const header = Buffer.concat([Buffer.from([VERSION]), keyId]);
      const nonce = randomBytes(NONCE_LENGTH);
      const cipher = createCipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_LENGTH });
      cipher.setAAD(aadFor(header, aad));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([header, nonce, cipher.getAuthTag(), body]);
    },
    open(blob, aad) {
      if (blob.length < MIN_LENGTH) throw new SealError('sealed value is truncated');
      if (blob[0] !== VERSION) throw new SealError('sealed value has an unknown format version');
      const header = blob.subarray(0, HEADER_LENGTH);
      if (!header.subarray(1).equals(keyId)) throw new SealError('sealed value was made with a different key', { wrongKey: true });
      const nonce = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
      const tag = blob.subarray(HEADER_LENGTH + NONCE_LENGTH, MIN_LENGTH);
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_LENGTH });
        decipher.setAAD(aadFor(header, aad));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(blob.subarray(MIN_LENGTH)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new SealError('sealed value failed authentication (tampered, or sealed for another row)', { cause });
      }
    },
  };
}
