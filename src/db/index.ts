export { type Database, openDatabase } from './open-database.js';
export { type DatabaseLock, lockDatabase } from './process-lock.js';
export { readSealedTokens } from './sealed-tokens.js';
export { readMigrations, userVersion } from './migrate.js';
export { type Repositories, createRepositories } from './repositories.js';
export { createRetention } from './retention.js';
export type { BlinkSession } from './repositories/sessions.js';
export type { ChatLink } from './repositories/links.js';
export { isWithinQuietHours } from './repositories/alert-settings.js';
