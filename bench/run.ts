/**
 * `npm run bench [-- --quick]`: every benchmark in turn, each with its own simulator and
 * fake chat server processes. Prints the tables and writes bench/results/<time>.json
 * (and latest.json). --quick is a ~1 minute smoke version with fewer rounds and sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printAlertPath, runAlertPath } from './alert-path.js';
import { printCommandOverhead, runCommandOverhead } from './command-overhead.js';
import { discordUploadGoals, printDiscordUpload, runDiscordUpload } from './discord-upload.js';
import { buildCompiled, ROOT, startWorld } from './lib/proc.js';
import { printRequests, runRequests } from './requests.js';
import { printGoals, type Goal } from './lib/goals.js';
import { printScale, runScale, scaleGoals, type ScaleCase } from './scale.js';
import { printStreaming, runStreaming, streamingGoals } from './streaming.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick === true;
const only = values.only?.split(',');
const wanted = (name: string): boolean => only === undefined || only.includes(name);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
};

const scaleCases: ScaleCase[] = quick
  ? [
      { accounts: 100, periodMs: 6_000, cycles: 1 },
      { accounts: 1_000, periodMs: 6_000, cycles: 1 },
    ]
  : [
      { accounts: 100, periodMs: 6_000, cycles: 3 },
      { accounts: 1_000, periodMs: 6_000, cycles: 3 },
      // Real time: at ×10 this machine's two cores could not serve 1,667 polls/s (simulator included).
      { accounts: 10_000, periodMs: 60_000, cycles: 3 },
    ];

buildCompiled();
const started = Date.now();
const summary: Record<string, unknown> = { quick, machine, startedAt: new Date(started).toISOString() };
const out = (text: string): void => {
  process.stdout.write(`${text}\n\n`);
};
const goals: Goal[] = [];
/** The machine is shared: the 1/5/15-minute load average is printed with every section. */
const loads: Record<string, number[]> = {};
const load = (section: string): void => {
  const l = os.loadavg().map((x) => Math.round(x * 10) / 10);
  loads[section] = l;
  process.stdout.write(`[${section}] load average ${l.join(' / ')} (${machine.cores} cores)\n`);
};
out(`blink-bot benchmarks${quick ? ' (quick)' : ''} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}`);

if (wanted('requests')) {
  load('requests');
  const world = await startWorld();
  try {
    const r = await runRequests({ simUrl: world.simUrl, tgApiRoot: world.tgApiRoot, tgToken: world.tgToken, rounds: quick ? 1 : 3 });
    summary.requests = r;
    out(printRequests(r));
  } finally {
    await world.stop();
  }
}
if (wanted('scale')) {
  load('scale');
  const r = await runScale(scaleCases);
  summary.scale = r;
  out(printScale(r));
  goals.push(...scaleGoals(r));
}
if (wanted('alert')) {
  load('alert');
  const r = await runAlertPath(quick ? 5 : 30);
  summary.alertPath = r;
  out(printAlertPath(r));
}
if (wanted('streaming')) {
  load('streaming');
  const r = await runStreaming(quick ? 2 : 7);
  summary.streaming = r;
  out(printStreaming(r));
  goals.push(...streamingGoals(r));
}
if (wanted('discord')) {
  load('discord');
  const r = await runDiscordUpload(quick ? 2 : 5);
  summary.discordUpload = r;
  out(printDiscordUpload(r));
  goals.push(...discordUploadGoals(r));
}
if (wanted('commands')) {
  load('commands');
  const r = await runCommandOverhead(quick ? 200 : 1000);
  summary.commands = r;
  out(printCommandOverhead(r));
}

load('end');
summary.load = loads;
const judged = printGoals(goals);
summary.goals = judged.results;
out(judged.text);
summary.durationS = Math.round((Date.now() - started) / 1000);
const dir = path.join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
const json = `${JSON.stringify(summary, null, 2)}\n`;
writeFileSync(file, json);
writeFileSync(path.join(dir, quick ? 'latest-quick.json' : 'latest.json'), json);
out(`done in ${summary.durationS} s; summary: ${path.relative(ROOT, file)}`);
process.exit(0);
