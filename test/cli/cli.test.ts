import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { clipFileName } from '../../src/cli/commands/download.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createSealer } from '../../src/secrets/index.js';
import { createFixtureAccountSeed } from '../../src/simulator/index.js';
import { EMAIL, PASSWORD, loggedIn, pinFrom, world } from './cli-world.js';

test('login without prompts: --credentials file and --code (read from stdin with "-"), session stored sealed for cli:local', async (t) => {
  const w = await world(t);
  w.sim.setTwoFactor(EMAIL, '412');
  const creds = path.join(w.dir, 'creds.json');
  writeFileSync(creds, JSON.stringify({ username: EMAIL, password: PASSWORD }));
  const r = await w.run(['login', '--credentials', creds, '--code', '-'], pinFrom(w.sim));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Logged in to Blink as o\*\*\*@example\.com/);
  assert.equal(r.stdout.includes(PASSWORD) || r.stderr.includes(PASSWORD), false);
  assert.equal(r.stderr.includes('Blink email'), false, 'no prompts');
  const db = new BetterSqlite3(w.env.DATABASE_PATH, { readonly: true });
  const row = db.prepare<[], { owner_user_id: string; sealed_tokens: Buffer }>('SELECT owner_user_id, sealed_tokens FROM blink_sessions').get();
  db.close();
  assert.equal(row?.owner_user_id, 'cli:local');
  assert.equal(row?.sealed_tokens.toString('latin1').includes('access'), false, 'tokens are sealed');

  const status = await w.run(['status']);
  assert.equal(status.code, 0, status.stderr);
  // The chat's /status, line for line (core/commands/status.ts renders both).
  assert.match(status.stdout, /^Home: armed$/m);
  assert.match(status.stdout, /^• Front Door: online, motion on, .*wifi/m);
});

test('login with a wrong --code fails with one clear line and stores nothing', async (t) => {
  const w = await world(t);
  w.sim.setTwoFactor(EMAIL, '412');
  const creds = path.join(w.dir, 'creds.json');
  writeFileSync(creds, JSON.stringify({ email: EMAIL, password: PASSWORD }));
  const r = await w.run(['login', '--credentials', creds, '--code', 'abcdef']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^blink-bot: .*code/i);
  const again = await w.run(['status']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /not logged in/);
});

test('download fetches exactly the clips that --since, --camera and --pages select, then skips existing files', async (t) => {
  const base = Date.UTC(2026, 5, 27, 12, 0, 0);
  const w = await loggedIn(t, { now: () => base, mediaPageSize: 2, seed: (now) => ({ accounts: [{ ...createFixtureAccountSeed(now), media: [] }] }) });
  const at = (h: number, m: number): number => Date.UTC(2026, 5, 27, h, m, 0);
  // Newest first on the pages (size 2): [e, d] [c, b] [a, x]
  w.sim.addClip({ cameraId: 4001, createdAt: at(9, 0), updatedAt: at(9, 0) }); // x: before --since
  w.sim.addClip({ cameraId: 4001, createdAt: at(10, 0), updatedAt: at(10, 0) }); // a: page 3
  w.sim.addClip({ cameraId: 5001, createdAt: at(10, 30), updatedAt: at(10, 30) }); // b: Living Room
  w.sim.addClip({ cameraId: 4001, createdAt: at(11, 0), updatedAt: at(11, 0), deleted: true }); // c: deleted
  w.sim.addClip({ cameraId: 6001, createdAt: at(11, 30), updatedAt: at(11, 30) }); // d: Porch
  w.sim.addClip({ cameraId: 4001, createdAt: at(11, 45), updatedAt: at(11, 45) }); // e
  const out = path.join(w.dir, 'clips');

  const r = await w.run([
    'download',
    '--dir',
    out,
    '--since',
    '2026/06/27 09:34',
    '--camera',
    'Front Door',
    '--camera',
    'porch',
    '--pages',
    '2',
    '--delay',
    '0',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(out).sort();
  assert.deepEqual(
    files,
    [
      clipFileName({ cameraName: 'Front Door', createdAt: '2026-06-27T11:45:00+00:00' }),
      clipFileName({ cameraName: 'Porch', createdAt: '2026-06-27T11:30:00+00:00' }),
    ].sort(),
  );
  assert.match(files[0] ?? '', /^front-door-2026-06-27t11-45-00-00-00\.mp4$/);
  assert.match(r.stderr, /Downloaded 2 clip\(s\).*skipped 0 existing, 1 deleted/);

  w.sim.resetCounts();
  const again = await w.run(['download', '--dir', out, '--since', '2026/06/27 09:34', '--pages', '3', '--delay', '0']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readdirSync(out).length, 4, 'a and b added; x is before --since');
  assert.match(again.stderr, /Downloaded 2 clip\(s\).*skipped 2 existing, 1 deleted/);
  const mediaGets = w.sim.requestLog().filter((e) => e.method === 'GET' && /\.mp4/.test(e.path));
  assert.equal(mediaGets.length, 2, 'existing files were not downloaded again');
});

test('backup writes a valid copy of the database while it is open', async (t) => {
  const w = await loggedIn(t);
  const file = path.join(w.dir, 'backup.sqlite');
  const r = await w.run(['backup', file]);
  assert.equal(r.code, 0, r.stderr);
  const copy = new BetterSqlite3(file, { readonly: true });
  t.after(() => copy.close());
  assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(copy.prepare('SELECT owner_user_id FROM blink_sessions').all(), [{ owner_user_id: 'cli:local' }]);
  const twice = await w.run(['backup', file]);
  assert.equal(twice.code, 1, 'never overwrites');
});

test('rotate-key re-seals every token; the old key no longer opens them, the new one does', async (t) => {
  const w = await loggedIn(t);
  const keyPath = path.join(path.dirname(w.env.DATABASE_PATH), 'secret.key');
  const oldKey = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'hex');
  const newKey = Buffer.alloc(32, 7);
  const r = await w.run(['rotate-key', '--new-key', newKey.toString('base64')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Re-sealed 1 session/);
  assert.equal(readFileSync(keyPath, 'utf8').trim(), newKey.toString('hex'));
  const db = new BetterSqlite3(w.env.DATABASE_PATH, { readonly: true });
  const row = db.prepare<[], { owner_user_id: string; sealed_tokens: Buffer }>('SELECT owner_user_id, sealed_tokens FROM blink_sessions').get();
  db.close();
  assert.ok(row);
  assert.throws(() => createSealer(oldKey).open(row.sealed_tokens, row.owner_user_id));
  assert.match(createSealer(newKey).open(row.sealed_tokens, row.owner_user_id), /accessToken/);
  const status = await w.run(['status']);
  assert.equal(status.code, 0, status.stderr);
  assert.equal(existsSync(`${keyPath}.tmp`), false);
});

test('local lists the USB clips; localclip --out saves one with the exact bytes the sync module uploaded', async (t) => {
  const w = await loggedIn(t);
  const createdAt = Date.UTC(2026, 5, 27, 12, 0, 0);
  const id = w.sim.addUsbClip({ cameraId: 5001, createdAt, size: 4_321 });
  const list = await w.run(['local']);
  assert.equal(list.code, 0, list.stderr);
  const rows = list.stdout.trim().split('\n');
  assert.ok(rows.includes(`${id}\tLiving Room\t${new Date(createdAt).toISOString()}`), list.stdout);
  assert.equal(rows.length, 4, 'the three seeded clips and the new one');

  const out = path.join(w.dir, 'usb.mp4');
  const saved = await w.run(['localclip', String(id), '--out', out]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, new RegExp(`Saved local clip ${id} to `));
  assert.deepEqual(readFileSync(out), w.sim.expectedClipBytes(id));
  const routes = w.sim.requestLog().map((e) => e.routeClass);
  assert.ok(
    routes.some((r) => r.startsWith('POST') && r.endsWith('/manifest/:m/clip/request/:clip')),
    'the upload was requested (manifest flow)',
  );
  assert.ok(
    routes.some((r) => r.startsWith('GET') && r.endsWith('/manifest/:m/clip/request/:clip')),
    'then fetched',
  );

  const unknown = await w.run(['localclip', '9999999', '--out', path.join(w.dir, 'none.mp4')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no local-storage clip 9999999/);
  assert.equal(existsSync(path.join(w.dir, 'none.mp4')), false);
  assert.equal((await w.run(['localclip', String(id)])).code, 2, '--out is required');
});

// blinkpy's README examples (the library the CLI's commands mirror), each as a CLI command
// running the chat's own command: the prompted login, cameras, snap, arm/disarm, motion.

test('blinkpy README: login prompts for the email, the password and the 2FA code (answers read line by line)', async (t) => {
  const w = await world(t);
  w.sim.setTwoFactor(EMAIL, '412');
  const r = await w.run(['login'], async (stdin) => {
    stdin.write(`${EMAIL}\n${PASSWORD}\n`);
    await pinFrom(w.sim)(stdin);
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Blink email: Blink password: Blink sent a code/);
  assert.equal(r.stderr.includes(PASSWORD) || r.stdout.includes(PASSWORD), false);
});

test('blinkpy README: cameras, snap_picture to a file, arm/disarm and motion on/off, each read back with status', async (t) => {
  const w = await loggedIn(t);
  const status = await w.run(['status']);
  assert.equal(status.code, 0, status.stderr);
  for (const name of ['Front Door', 'Living Room', 'Porch']) assert.match(status.stdout, new RegExp(`^• ${name}: `, 'm'));

  const out = path.join(w.dir, 'front.jpg');
  const snap = await w.run(['snap', '--camera', 'front door', '--out', out]);
  assert.equal(snap.code, 0, snap.stderr);
  assert.match(snap.stdout, /^Front Door · Home · .*: saved to /m, 'the chat caption');
  assert.match(snap.stderr, /Taking a picture with Front Door…/, 'the chat progress');
  assert.deepEqual([...readFileSync(out).subarray(0, 2)], [0xff, 0xd8], 'a JPEG');

  const disarm = await w.run(['disarm']);
  assert.equal(disarm.code, 0, disarm.stderr);
  assert.equal(disarm.stdout, 'Home is disarmed.\n', 'the chat reply');
  assert.match((await w.run(['status'])).stdout, /^Home: disarmed$/m);
  assert.equal((await w.run(['arm', 'Home'])).stdout, 'Home is armed.\n');

  const on = await w.run(['motion', 'Porch', 'on']);
  assert.equal(on.code, 0, on.stderr);
  assert.equal(on.stdout, 'Motion detection on Porch is on.\n');
  assert.match((await w.run(['status'])).stdout, /^• Porch: .*motion on/m);
  const off = await w.run(['motion', 'living', 'room', 'off']);
  assert.equal(off.stdout, 'Motion detection on Living Room is off.\n', 'a camera name of two words, prefix matched');
  assert.match((await w.run(['status'])).stdout, /^• Living Room: .*motion off/m);

  const unknown = await w.run(['motion', 'Garage', 'on']);
  assert.equal(unknown.code, 1, 'the chat refusal is a failure');
  assert.match(unknown.stderr, /^blink-bot: .*Garage/);
});

test('usage errors: exit 2, and the first line says what is wrong', async (t) => {
  const w = await world(t);
  const cases: [string[], RegExp][] = [
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['download'], /download needs --dir/],
    [['status', '--dir', 'x'], /status does not take --dir/],
    [['motion', 'Porch', 'sideways'], /motion needs a camera and on or off.*not "sideways"/],
    [['motion'], /motion needs a camera and on or off/],
    [['snap', '--out', 'x.jpg'], /snap needs a camera/],
    [['snap', '--camera', 'Porch'], /snap needs --out/],
    [['backup'], /backup needs the file to write/],
    [['rotate-key'], /rotate-key needs --new-key/],
    [['status', '--nope'], /Unknown option '--nope'/],
  ];
  for (const [argv, first] of cases) {
    const r = await w.run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    const line = r.stderr.split('\n')[0] ?? '';
    assert.match(line, first, `${argv.join(' ')}: ${line}`);
    assert.doesNotMatch(line, /^Usage/);
  }
});

/** What a terminal shows for `text`: \r returns to the line start, ESC[2K clears the line, \n ends it. */
function screen(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  let col = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC (\x1b) by definition
  for (const token of text.split(/(\r|\n|\x1b\[2K)/)) {
    if (token === '\n') {
      lines.push(line);
      line = '';
      col = 0;
    } else if (token === '\r') col = 0;
    else if (token === '\x1b[2K') line = ' '.repeat(line.length);
    else {
      line = line.slice(0, col).padEnd(col, ' ') + token + line.slice(col + token.length);
      col += token.length;
    }
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd()).filter((l) => l !== '');
}

test('download on a terminal: the bar ends at N/N and never runs into the printed paths', async (t) => {
  const base = Date.UTC(2026, 5, 27, 12, 0, 0);
  const w = await loggedIn(t, { now: () => base, seed: (now) => ({ accounts: [{ ...createFixtureAccountSeed(now), media: [] }] }) });
  for (const minute of [1, 2, 3]) w.sim.addClip({ cameraId: 4001, createdAt: base - minute * 60_000, updatedAt: base - minute * 60_000 });
  const out = path.join(w.dir, 'clips');
  let shown = '';
  const sink = (): PassThrough => {
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (shown += c.toString()));
    return stream;
  };
  const stderr = Object.assign(sink(), { isTTY: true });
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(['download', '--dir', out, '--delay', '0'], { stdin, stdout: sink(), stderr, env: w.env });
  assert.equal(code, 0, shown);
  const lines = screen(shown);
  const paths = lines.filter((l) => l.includes(out) && !l.startsWith('Downloaded'));
  assert.equal(paths.length, 3, lines.join('\n'));
  for (const line of paths) assert.match(line, /^\/.*\.mp4$/, `a path alone on its line: ${JSON.stringify(line)}`);
  assert.match(lines.at(-2) ?? '', /^\[#{24}\] 3\/3$/, lines.join('\n'));
  assert.match(lines.at(-1) ?? '', /^Downloaded 3 clip\(s\)/);
});
