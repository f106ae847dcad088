import type { Database } from 'better-sqlite3';
import { createAlertSettingsRepository } from './repositories/alert-settings.js';
import { createAllowlistRepository } from './repositories/allowlist.js';
import { createAuditRepository } from './repositories/audit.js';
import { createClipsSeenRepository } from './repositories/clips-seen.js';
import { createHealthRepository } from './repositories/health.js';
import { createLinksRepository } from './repositories/links.js';
import { type OutboxOptions, createOutboxRepository } from './repositories/outbox.js';
import { createPlatformFilesRepository } from './repositories/platform-files.js';
import { createRecordRequestsRepository } from './repositories/record-requests.js';
import { createSessionsRepository } from './repositories/sessions.js';
import { createStorageRepository } from './repositories/storage.js';

export interface RepositoryOptions {
  readonly outbox?: OutboxOptions;
  /** Session id generator; default crypto.randomUUID. */
  readonly newSessionId?: () => string;
}

/** Every repository over one open, migrated database. Statements are prepared once, here. */
export function createRepositories(db: Database, options: RepositoryOptions = {}) {
  return {
    sessions: createSessionsRepository(db, options.newSessionId ? { newId: options.newSessionId } : {}),
    allowlist: createAllowlistRepository(db),
    links: createLinksRepository(db),
    alertSettings: createAlertSettingsRepository(db),
    outbox: createOutboxRepository(db, options.outbox),
    clipsSeen: createClipsSeenRepository(db),
    health: createHealthRepository(db),
    audit: createAuditRepository(db),
    platformFiles: createPlatformFilesRepository(db),
    storage: createStorageRepository(db),
    recordRequests: createRecordRequestsRepository(db),
    /** Runs `fn` in one transaction (nested calls become savepoints). */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
