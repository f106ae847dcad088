/**
 * `blink-bot live` and `blink-bot record` against the simulator: the chat commands /live and
 * /record through the core dispatcher, the video saved to a file, progress on stderr. The
 * CLI trusts the simulator's test-only relay certificate through BLINK_LIVE_CA_FILE and its
 * host through BLINK_LIVE_HOSTS, as an operator would configure them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { BlinkSimulator } from '../../src/simulator/index.js';
import { liveSimOptions } from '../helpers/live-sim.js';
import { mp4Facts } from '../helpers/mp4-check.js';
import { until } from '../helpers/until.js';
import { loggedIn, world, type World } from './cli-world.js';

function liveEnv(sim: BlinkSimulator, dir: string): Record<string, string> {
  const ca = path.join(dir, 'immis-ca.pem');
  writeFileSync(ca, sim.immisCa);
  return { BLINK_LIVE_CA_FILE: ca, BLINK_LIVE_HOSTS: sim.immisHost };
}

const liveWorld = (t: TestContext): Promise<World> => loggedIn(t, { ...liveSimOptions, recordSource: 'pir' }, liveEnv);

const doneCalls = (w: World): number => w.sim.requestLog().filter((e) => e.method === 'POST' && /\/command\/\d+\/done\/$/.test(e.path)).length;

test('blink-bot live --camera "Front Door" --seconds 5 --out: an MP4 of about 5 s, progress on stderr, command ended, no socket left', async (t) => {
  const w = await liveWorld(t);
  const out = path.join(w.dir, 'front.mp4');
  const r = await w.run(['live', '--camera', 'front door', '--seconds', '5', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const facts = await mp4Facts(readFileSync(out));
  assert.deepEqual(facts.boxes.slice(0, 3), ['ftyp', 'moov', 'mdat']);
  assert.equal(facts.codec, 'avc');
  assert.ok(Math.abs(facts.durationSeconds - 5) <= 0.5, `duration ${facts.durationSeconds}`);
  assert.match(r.stdout, /^Front Door · Home · .*: saved to /m, 'the chat caption');
  assert.match(r.stdout, /: saved to .*front\.mp4\nLive view drains Front Door's battery\.\n$/);
  const lines = r.stderr.split('\n');
  assert.equal(lines.filter((l) => /drains Front Door's battery/.test(l)).length, 1, `the note once: ${r.stderr}`);
  assert.ok(lines.filter((l) => /^● recording \d+\/5 s from Front Door…$/.test(l)).length >= 2, `progress lines: ${r.stderr}`);
  assert.ok(r.stderr.endsWith('\n'), 'progress ends with its line');
  assert.equal(new Set(lines).size, lines.length, 'no line repeated');
  assert.equal(doneCalls(w), 1);
  await until(() => w.sim.immisStats().open === 0, 'every immis socket closed', 15_000, 10);
});

test('blink-bot live on a terminal: the progress line is redrawn in place and ended before the result', async (t) => {
  const w = await liveWorld(t);
  const out = path.join(w.dir, 'front.mp4');
  let shown = '';
  const r = await w.run(['live', '--camera', 'Living Room', '--seconds', '5', '--out', out], undefined, { stderrTTY: true, onStderr: (s) => (shown = s) });
  assert.equal(r.code, 0, r.stderr);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC (\x1b) by definition
  assert.match(shown, /\r\x1b\[2K● recording [1-5]\/5 s from Living Room…/, 'redrawn in place');
  assert.ok(shown.endsWith('…\n'), `the last progress line is ended: ${JSON.stringify(shown.slice(-40))}`);
  assert.equal(shown.split('\n').length, 2, 'one line on screen (wired camera: no note)');
});

test('blink-bot record --camera "Front Door": the new clip saved (to --out, or clip-<id>.mp4 in the working folder)', async (t) => {
  const w = await liveWorld(t);
  const before = new Set(w.sim.state.media.keys());
  const out = path.join(w.dir, 'asked.mp4');
  const r = await w.run(['record', '--camera', 'Front Door', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const added = [...w.sim.state.media.keys()].filter((id) => !before.has(id));
  assert.equal(added.length, 1);
  assert.deepEqual(readFileSync(out), w.sim.expectedClipBytes(added[0] ?? -1));
  assert.match(r.stderr, /Waiting for Blink to list the clip/);
  assert.match(r.stdout, /^Front Door · Home · .*: saved to /m);

  const cwd = process.cwd();
  process.chdir(w.dir);
  t.after(() => process.chdir(cwd));
  const again = await w.run(['record', '--camera', 'Front Door']);
  process.chdir(cwd);
  assert.equal(again.code, 0, again.stderr);
  const [newest] = [...w.sim.state.media.keys()].filter((id) => !before.has(id) && id !== added[0]);
  assert.ok(newest !== undefined);
  const file = path.join(w.dir, `clip-${newest}.mp4`);
  assert.deepEqual(readFileSync(file), w.sim.expectedClipBytes(newest));
  assert.match(again.stdout, new RegExp(`saved to clip-${newest}\\.mp4$`, 'm'));
});

test('Ctrl-C during blink-bot live: exit 130, no file, the live view command ended, no socket left', async (t) => {
  const w = await loggedIn(t, { ...liveSimOptions, liveSpeed: 5 }, liveEnv);
  const out = path.join(w.dir, 'cut.mp4');
  const interrupt = new AbortController();
  const r = await w.run(['live', '--camera', 'Front Door', '--seconds', '30', '--out', out], undefined, {
    signal: interrupt.signal,
    onStderr: (s) => {
      if (/● recording [2-9]\/30/.test(s)) interrupt.abort();
    },
  });
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /^blink-bot: interrupted$/m);
  assert.equal(existsSync(out), false, 'nothing half-written');
  assert.equal(doneCalls(w), 1);
  assert.equal(w.sim.immisStats().open, 0);
});

test('live and record usage errors: exit 2, the first line says what is wrong', async (t) => {
  const w = await world(t);
  const cases: [string[], RegExp][] = [
    [['live', '--out', 'x.mp4'], /live needs --camera/],
    [['live', '--camera', 'Porch'], /live needs --out FILE/],
    [['live', '--camera', 'Porch', '--seconds', '60', '--out', 'x.mp4'], /--seconds takes a whole number from 5 to 30 \(not "60"\)/],
    [['live', '--camera', 'Porch', '--seconds', 'ten', '--out', 'x.mp4'], /--seconds takes a whole number from 5 to 30/],
    [['record'], /record needs --camera/],
    [['record', '--camera', 'Porch', '--seconds', '5'], /record does not take --seconds/],
    [['snap', '--camera', 'Porch', '--seconds', '5', '--out', 'x.jpg'], /snap does not take --seconds/],
  ];
  for (const [argv, first] of cases) {
    const r = await w.run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    const line = r.stderr.split('\n')[0] ?? '';
    assert.match(line, first, `${argv.join(' ')}: ${line}`);
  }
  const help = await w.run(['--help']);
  assert.match(help.stdout, /^ {2}live --camera NAME \[--seconds N\] --out file\.mp4/m);
  assert.match(help.stdout, /^ {2}record --camera NAME \[--out file\.mp4\]/m);
});

test('blink-bot live without the relay CA configured: one clear line, exit 1, nothing written, command ended', async (t) => {
  const w = await loggedIn(t, liveSimOptions, (sim) => ({ BLINK_LIVE_HOSTS: sim.immisHost }));
  const out = path.join(w.dir, 'x.mp4');
  const r = await w.run(['live', '--camera', 'Front Door', '--seconds', '5', '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr.trim().split('\n').at(-1) ?? '', /^blink-bot: The live view could not be opened/);
  assert.equal(existsSync(out), false);
  assert.equal(doneCalls(w), 1);
});
