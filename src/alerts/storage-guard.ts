/**
 * F31 (docs/chat-contract.md): the database cannot be written (disk full, read-only file system, I/O
 * error). No poll cursor can advance then, so polling pauses for every account (a poll
 * would only cost Blink requests and roll back) and the outbox stops sending (a sent row
 * that cannot be marked sent would be sent again and again). The operators hear of it
 * once per incident, and once more on recovery. Those two notices go straight through the
 * senders, best effort: the outbox is exactly what cannot be written.
 */
import type { Database } from 'better-sqlite3';
import { createStorageRepository } from '../db/repositories/storage.js';
import type { Logger } from '../log.js';

/** SQLite result codes that mean "this database cannot be written right now". */
const STORAGE_CODE = /^SQLITE_(FULL|READONLY|IOERR)/;

/** The SQLite code of a storage failure (looking through `cause`), else undefined. */
function storageErrorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = 'code' in e ? e.code : undefined;
    if (typeof code === 'string' && STORAGE_CODE.test(code)) return code;
  }
  return undefined;
}

/**
 * A small committed write that needs fresh pages and leaves nothing behind: on a full disk
 * or a read-only file it fails like a poll commit would.
 */
export function createWriteProbe(db: Database): () => void {
  const storage = createStorageRepository(db);
  return () => storage.writeProbe();
}

export interface StorageGuardDeps {
  /** Throws when the database cannot be written (createWriteProbe). */
  probe: () => void;
  log: Logger;
  /** Best effort to the operators' chats; never rejects. */
  notify: (text: string) => Promise<void>;
  /** While paused, a write is tried this often, ms. Default 30 s. */
  probeEveryMs?: number;
  /** Called once writes work again (wake the delivery worker). */
  onResume?: () => void;
}

export function createStorageGuard(deps: StorageGuardDeps) {
  const probeEveryMs = deps.probeEveryMs ?? 30_000;
  let since: number | null = null;
  let lastProbeAt = 0;

  return {
    paused: (): boolean => since !== null,
    /** When the run loop should try a write again (only meaningful while paused). */
    nextProbeAt: (): number => lastProbeAt + probeEveryMs,
    /** Reports a failed write. True when it was a storage failure (polling is paused now). */
    failed(error: unknown, now: number): boolean {
      const code = storageErrorCode(error);
      if (code === undefined) return false;
      if (since === null) {
        since = now;
        lastProbeAt = now;
        deps.log.error({ code, err: error }, 'the database cannot be written (disk full or read-only); polling paused for every account');
        void deps.notify(
          `⚠️ blink-bot cannot write its database (${code}: disk full or read-only file system). Motion polling is paused for every account until writes work again; Blink keeps the clips meanwhile.`,
        );
      }
      return true;
    },
    /** Tries a write now; true when writes work (resuming if paused). */
    probe(now: number): boolean {
      lastProbeAt = now;
      try {
        deps.probe();
      } catch (error) {
        deps.log.debug({ err: error }, 'the database still cannot be written');
        return false;
      }
      if (since !== null) {
        const pausedMs = now - since;
        since = null;
        deps.log.warn({ pausedMs }, 'the database can be written again; polling resumed');
        void deps.notify(`✅ blink-bot can write its database again; motion polling resumed (paused for ${Math.max(1, Math.round(pausedMs / 60_000))} min).`);
        deps.onResume?.();
      }
      return true;
    },
  };
}

export type StorageGuard = ReturnType<typeof createStorageGuard>;
