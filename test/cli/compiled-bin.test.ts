/**
 * The package's `bin` (`blink-bot`, dist/src/cli/main.js) after `npm run build` and
 * `npm prune --omit=dev`, as in the Docker image: compiled here into a throw-away package
 * whose node_modules holds only the production dependencies (no tsx, no typescript), then
 * run as an executable, as `docker exec blink-bot blink-bot …` runs it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { z } from 'zod';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readKey, sealedDb } from '../helpers/sealed-db.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = new URL('../..', import.meta.url).pathname;

const Manifest = z.object({ dependencies: z.record(z.string(), z.string()).optional(), optionalDependencies: z.record(z.string(), z.string()).optional() });
const depsOf = (dir: string): string[] => {
  const m = Manifest.parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
  return [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {})];
};

/** The package's dependencies and theirs, as hoisted under `modules` (what `npm prune --omit=dev` keeps). */
function productionClosure(modules: string): string[] {
  const seen = new Set<string>();
  const queue = depsOf(root);
  while (queue.length > 0) {
    const name = queue.pop() ?? '';
    if (seen.has(name) || !existsSync(path.join(modules, name, 'package.json'))) continue;
    seen.add(name);
    queue.push(...depsOf(path.join(modules, name)));
  }
  return [...seen];
}

/** A package folder like the image's /app: package.json, migrations, dist, production node_modules. */
function pruneLikePackage(dir: string): string {
  copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(root, 'migrations'), path.join(dir, 'migrations'));
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(dir, 'dist'), '--sourceMap', 'false'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
  const modules = path.join(root, 'node_modules');
  const production = productionClosure(modules);
  for (const rel of new Set(production)) {
    const target = path.join(dir, 'node_modules', rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (!existsSync(target)) symlinkSync(path.join(modules, rel), target);
  }
  const bin = path.join(dir, 'dist/src/cli/main.js');
  chmodSync(bin, 0o755);
  return bin;
}

function run(bin: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(bin, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: String(error) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the compiled bin runs backup, rotate-key and usage errors with production dependencies only', { timeout: 90_000 }, async (t) => {
  const pkg = tempDir(t, 'blink-bin-');
  const bin = pruneLikePackage(pkg);
  assert.equal(existsSync(path.join(pkg, 'node_modules/tsx')), false, 'no tsx, as after npm prune --omit=dev');
  assert.equal(existsSync(path.join(pkg, 'node_modules/typescript')), false);
  assert.ok(existsSync(path.join(pkg, 'node_modules/better-sqlite3')));

  const s = sealedDb(t, 2, 'blink-bin-data-');
  const env = { DATABASE_PATH: s.dbPath };

  const usage = await run(bin, ['backup'], env);
  assert.equal(usage.code, 2, usage.stderr);
  assert.match(usage.stderr.split('\n')[0] ?? '', /backup needs the file to write/);

  const file = path.join(s.dir, 'backup.sqlite');
  const backup = await run(bin, ['backup', file], env);
  assert.equal(backup.code, 0, backup.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600);

  const newKey = Buffer.alloc(32, 5);
  const rotated = await run(bin, ['rotate-key', '--new-key', newKey.toString('hex')], env);
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /Re-sealed 2 session/);
  assert.deepEqual(readKey(s.keyPath), newKey);
});
