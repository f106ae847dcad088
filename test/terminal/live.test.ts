/**
 * /live and /record in the terminal chat of `npm run demo` (runDemo in-process, stdin and
 * stdout as streams): the video is saved to a file. The demo's simulator streams ten times
 * faster than real time here; the demo already trusts its relay certificate.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { runDemo, type RunningDemo } from '../../src/demo/run-demo.js';
import type { BlinkSimulatorOptions } from '../../src/simulator/index.js';
import { liveSimOptions } from '../helpers/live-sim.js';
import { mp4Facts } from '../helpers/mp4-check.js';
import { until } from '../helpers/until.js';
import { tempDir } from '../helpers/temp-dir.js';

interface Terminal {
  demo: RunningDemo;
  mediaDir: string;
  type(line: string): void;
  /** Waits for `re` in what was printed since the last `type`. */
  expect(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  printed(): string;
}

async function terminal(t: TestContext, simulator: BlinkSimulatorOptions = liveSimOptions): Promise<Terminal> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString()));
  let stopDemo = async (): Promise<void> => undefined;
  // Registered before tempDir's removals (hooks run in order): the demo stops before its folders go.
  t.after(() => stopDemo());
  const mediaDir = tempDir(t, 'blink-term-live-');
  const dataDir = tempDir(t, 'blink-term-data-');
  const demo = await runDemo({
    input,
    output,
    mediaDir,
    dataDir,
    pollIntervalSeconds: 3600,
    clipEveryMs: 3_600_000,
    firstClipAfterLoginMs: 3_600_000,
    logLevel: 'warn',
    logDestination: new PassThrough().resume(),
    logTarget: 'nowhere',
    simulator: { ...simulator, recordSource: 'pir' },
  });
  stopDemo = () => demo.stop();
  let mark = 0;
  const term: Terminal = {
    demo,
    mediaDir,
    type(line) {
      mark = printed.length;
      input.write(`${line}\n`);
    },
    async expect(re, ms = 10_000) {
      return until(() => printed.slice(mark).match(re), `${String(re)} in:\n${printed.slice(mark)}`, ms);
    },
    printed: () => printed,
  };
  term.type('/login');
  await term.expect(/email address/i);
  term.type('owner@example.com');
  await term.expect(/password/i);
  term.type('correct-horse-battery-staple');
  const [, code] = await term.expect(/📧 Blink sent code ([0-9]{6})/);
  term.type(code ?? '');
  await term.expect(/Logged in to Blink/);
  return term;
}

const doneCalls = (term: Terminal): number =>
  term.demo.simulator.requestLog().filter((e) => e.method === 'POST' && /\/command\/\d+\/done\/$/.test(e.path)).length;

test('terminal /live Front Door 5: the MP4 saved to a file has a video track of about 5 s; command ended, no socket left', async (t) => {
  const term = await terminal(t);
  term.type('/live Front Door 5');
  const [, file] = await term.expect(/🎞️ video saved to (\S+\.mp4)/, 15_000);
  const facts = await mp4Facts(readFileSync(file ?? ''));
  assert.deepEqual(facts.boxes.slice(0, 3), ['ftyp', 'moov', 'mdat']);
  assert.equal(facts.codec, 'avc');
  assert.ok(Math.abs(facts.durationSeconds - 5) <= 0.5, `duration ${facts.durationSeconds}`);
  await term.expect(/Front Door · Home · /);
  assert.match(term.printed(), /● recording \d+\/5 s from Front Door/, 'progress printed');
  assert.equal(doneCalls(term), 1);
  await until(() => term.demo.simulator.immisStats().open === 0, 'every immis socket closed', 15_000, 10);
});

test('terminal /record Front Door: the new clip is saved to a file once Blink lists it', async (t) => {
  const term = await terminal(t);
  const before = new Set(term.demo.simulator.state.media.keys());
  term.type('/record Front Door');
  const [, file] = await term.expect(/🎞️ video saved to (\S+\.mp4)/, 15_000);
  const added = [...term.demo.simulator.state.media.keys()].filter((id) => !before.has(id));
  assert.equal(added.length, 1);
  assert.deepEqual(readFileSync(file ?? ''), term.demo.simulator.expectedClipBytes(added[0] ?? -1));
  assert.match(term.printed(), /Waiting for Blink to list the clip/);
});

test('terminal: the demo stopped in the middle of /live saves no video, ends the command, leaves no socket', async (t) => {
  // Five times real time: the 28 s left take longer than the 2 s the terminal lets a line finish.
  const term = await terminal(t, { ...liveSimOptions, liveSpeed: 5 });
  term.type('/live Front Door 30');
  await term.expect(/● recording [2-9]\/30 s/, 10_000);
  await term.demo.stop();
  assert.doesNotMatch(term.printed(), /video saved to/);
  assert.equal(doneCalls(term), 1);
  assert.equal(term.demo.simulator.immisStats().open, 0);
});
