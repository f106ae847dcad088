import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, found by walking up from this module. Works from
 * `src/db` (tsx) and from `dist/src/db` (built) alike.
 */
function findPackageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('blink-bot package root (package.json + migrations/) not found');
    dir = parent;
  }
}

/** `<package root>/migrations`. */
export function defaultMigrationsDir(): string {
  return path.join(findPackageRoot(), 'migrations');
}
