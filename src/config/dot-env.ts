/**
 * `.env` in the working folder, as `npm start` reads it (docs/operations.md). Node's own
 * parser (util.parseEnv, Node 20.12+: KEY=value lines, # comments, quotes, `export `) so
 * no dependency is needed. Variables already in the environment win over the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

const DOT_ENV_FILE = '.env';

/**
 * The environment with `.env` from `dir` underneath it (file values only for names the
 * environment does not set). A missing file is no error; an unreadable one is.
 */
export function withDotEnv(env: Readonly<Record<string, string | undefined>>, dir: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path.join(dir, DOT_ENV_FILE), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR')) return { ...env };
    throw error;
  }
  const merged: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(parseEnv(text))) if (value !== undefined) merged[name] = value;
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return merged;
}
