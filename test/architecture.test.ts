/**
 * The dependency direction of docs/architecture.md ("Import direction"), checked over import specifiers:
 * front ends → core → blink/db, leaves import nothing from the app. Type-only imports count
 * too: a type import still ties a module to another layer's vocabulary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file names: `from '…'`, `import '…'` and `import('…')`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) if (m[1] !== undefined) found.push(m[1]);
  return found;
}

interface Import {
  /** The importing file, relative to src/, with forward slashes. */
  from: string;
  /** A package name, or the imported file relative to src/ ('../x' outside src). */
  to: string;
  /** A relative specifier: a file of this repository. */
  local: boolean;
}

function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const from = path.relative(SRC, file).split(path.sep).join('/');
    return specifiers(readFileSync(file, 'utf8')).map((spec) => {
      const local = spec.startsWith('.');
      const to = local
        ? path
            .relative(SRC, path.resolve(path.dirname(file), spec))
            .split(path.sep)
            .join('/')
        : spec;
      return { from, to, local };
    });
  });
}

const under = (p: string, area: string): boolean => p === area || p.startsWith(`${area}/`);
const isPackage = (to: string, name: string): boolean => to === name || to.startsWith(`${name}/`);

function violations(rule: (i: Import) => boolean): string[] {
  return imports()
    .filter(rule)
    .map((i) => `${i.from} → ${i.to}`);
}

test('the import scan sees the real graph (the front ends import core)', () => {
  const all = imports();
  assert.ok(all.some((i) => under(i.from, 'telegram') && under(i.to, 'core')));
  assert.ok(all.some((i) => under(i.from, 'discord') && isPackage(i.to, 'discord.js')));
});

test('core never imports a chat SDK or a front end', () => {
  const bad = violations(
    (i) =>
      under(i.from, 'core') && (isPackage(i.to, 'grammy') || isPackage(i.to, 'discord.js') || ['telegram', 'discord', 'terminal'].some((a) => under(i.to, a))),
  );
  assert.deepEqual(bad, []);
});

test('the Blink client knows nothing of core, the database, the chats or alerts', () => {
  const bad = violations((i) => under(i.from, 'blink') && ['core', 'db', 'telegram', 'discord', 'alerts'].some((a) => under(i.to, a)));
  assert.deepEqual(bad, []);
});

test('the Telegram and Discord front ends do not import each other', () => {
  const bad = violations((i) => (under(i.from, 'telegram') && under(i.to, 'discord')) || (under(i.from, 'discord') && under(i.to, 'telegram')));
  assert.deepEqual(bad, []);
});

test('leaves (errors, clock, log, config, secrets) import nothing from the app but errors and clock', () => {
  const leafFolders = ['config', 'secrets'];
  const leaf = (p: string): boolean => ['errors.ts', 'clock.ts', 'log.ts'].includes(p) || leafFolders.some((a) => under(p, a));
  const allowed = (i: Import): boolean => i.to === 'errors.js' || i.to === 'clock.js' || leafFolders.some((a) => under(i.from, a) && under(i.to, a));
  const bad = violations((i) => leaf(i.from) && i.local && !allowed(i));
  assert.deepEqual(bad, []);
});
