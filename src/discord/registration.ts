/**
 * Slash-command registration at start, only when the command JSON changed. Global commands
 * (one bulk overwrite, PUT /applications/:app/commands): they work in DMs and in every
 * guild the bot is in, so the allowlist alone decides who is served, and a bulk overwrite
 * propagates at once on current Discord. Per-guild registration would need the guild list
 * at start and could not cover DMs.
 *
 * The hash covers the application id and the JSON, so a new application registers too.
 * Discord limits command creation to 200 per day per application; hashing keeps restarts free.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Routes, type REST } from 'discord.js';
import type { Logger } from '../log.js';

/** Where the hash of the last registered command JSON is kept. */
export interface RegistrationStore {
  get(): string | undefined;
  set(hash: string): void;
}

/** Keeps nothing: every start registers (tests, or no database directory). */
export function createMemoryRegistrationStore(initial?: string): RegistrationStore {
  let value = initial;
  return {
    get: () => value,
    set: (hash) => {
      value = hash;
    },
  };
}

/**
 * A one-line file, e.g. `discord-commands.sha256` beside the database. Written to a temporary
 * file and renamed, so a crash never leaves half a hash (which would only cost one PUT).
 */
export function createFileRegistrationStore(file: string): RegistrationStore {
  return {
    get() {
      try {
        return readFileSync(file, 'utf8').trim() || undefined;
      } catch {
        return undefined;
      }
    },
    set(hash) {
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.tmp`;
      writeFileSync(temporary, `${hash}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}

function commandsHash(applicationId: string, commands: unknown): string {
  return createHash('sha256').update(JSON.stringify({ applicationId, commands })).digest('hex');
}

export interface RegisterDeps {
  rest: REST;
  applicationId: string;
  commands: readonly unknown[];
  store: RegistrationStore;
  log: Logger;
}

/** Returns true when a PUT was made. Throws Discord errors (the caller decides what a failure means). */
export async function registerCommandsIfChanged(deps: RegisterDeps): Promise<boolean> {
  const hash = commandsHash(deps.applicationId, deps.commands);
  if (deps.store.get() === hash) {
    deps.log.debug({ commands: deps.commands.length }, 'Discord slash commands unchanged; not registering');
    return false;
  }
  await deps.rest.put(Routes.applicationCommands(deps.applicationId), { body: deps.commands });
  deps.store.set(hash);
  deps.log.info({ commands: deps.commands.length }, 'Discord slash commands registered globally');
  return true;
}
