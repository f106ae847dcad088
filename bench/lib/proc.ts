/**
 * Child processes for the benchmarks: the simulator, the fake Bot API and the bot side
 * each run in their own Node process (so the bot's CPU and memory are its own). Every
 * entry prints one JSON line on stdout when ready; bot entries print `RESULT <json>` last.
 * Children run the compiled code (buildCompiled, once per `npm run bench`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  info: Record<string, unknown>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Compiles src/, bench/ and the test helpers they start into dist/ with tsc (the same
 * compiler and options as `npm run build`, so dist/src is what `npm start` runs). Every
 * child then runs compiled JavaScript: no tsx, no on-the-fly transform in what is measured.
 */
export function buildCompiled(): void {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.bench.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('tsc -p tsconfig.bench.json failed');
}

/** `bench/x.ts` → `dist/bench/x.js`: the compiled entry. */
const compiled = (entry: string): string => path.join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'));

function launch(entry: string, args: readonly string[], nodeFlags: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, compiled(entry), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Starts a server entry and waits for its first JSON line. */
export function startServer(entry: string, args: readonly string[] = []): Promise<Started> {
  const child = launch(entry, args);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    const fail = (why: string): void => reject(new Error(`${entry}: ${why}`));
    child.once('exit', (code) => fail(`exited early with ${code}`));
    lines.once('line', (line) => {
      try {
        const info = JSON.parse(line) as Record<string, unknown>;
        child.removeAllListeners('exit');
        resolve({ info, child, stop: stopper(child) });
      } catch {
        fail(`bad first line ${line}`);
      }
    });
  });
}

/**
 * The V8 flags the bot runs with (`npm start` in package.json, deploy/blink-bot.service; kept
 * equal by test/node-flags.test.ts): a 4 MB young generation instead of 16 MB keeps ~25 MB
 * less RSS at the same CPU; one V8 worker thread instead of four keeps another ~9 MB
 * (fewer thread arenas and stacks) at CPU within the machine's spread (docs/performance.md,
 * "What made the difference"); `--expose-gc` lets a media download free its dead socket
 * buffers every 2 MiB (src/blink/media.ts).
 */
export const BOT_NODE_FLAGS = ['--max-semi-space-size=4', '--v8-pool-size=1', '--expose-gc'] as const;

/** Runs a bot-side entry to completion with `config` as argv[2]; returns its RESULT object. */
export function runBot(entry: string, config: unknown, nodeFlags: readonly string[] = []): Promise<unknown> {
  const child = launch(entry, [JSON.stringify(config)], [...BOT_NODE_FLAGS, ...nodeFlags]);
  return new Promise((resolve, reject) => {
    let result: unknown;
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.on('line', (line) => {
      if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
      else if (line.trim() !== '') process.stderr.write(`  [${path.basename(entry)}] ${line}\n`);
    });
    child.once('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${entry} exited with ${code} without a result`));
    });
  });
}

/** Simulator (no seed accounts) and fake Bot API, each in its own process. */
export async function startWorld(opts: { telegram?: boolean; simArgs?: string[] } = {}) {
  const sim = await startServer('src/simulator/main.ts', ['--empty', ...(opts.simArgs ?? [])]);
  const tg = opts.telegram === false ? undefined : await startServer('test/helpers/fake-telegram/main.ts', ['--max-upload-mb', '60']);
  return {
    simUrl: String(sim.info.url),
    tgApiRoot: tg ? String(tg.info.apiRoot) : undefined,
    tgToken: tg ? String(tg.info.token) : undefined,
    async stop() {
      await Promise.all([sim.stop(), tg?.stop()]);
    },
  };
}
