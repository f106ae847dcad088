/**
 * Benchmark 5: the bot's own time per command (bench/bot-commands.ts): the dispatcher with
 * the real Blink client, minus the time Blink requests were in flight and deliberate sleeps.
 */
import { runBot, startWorld } from './lib/proc.js';
import { fmt, round, summarize, table, type Summary } from './lib/stats.js';

export interface CommandResult {
  commands: number;
  own: Summary;
  wall: Summary;
  cpuPerCommandMs: number;
  byCommand: Record<string, Summary>;
}

export async function runCommandOverhead(commands: number): Promise<CommandResult> {
  const world = await startWorld({ telegram: false });
  try {
    const out = (await runBot('bench/bot-commands.ts', { simUrl: world.simUrl, commands })) as {
      own: number[];
      wall: number[];
      cpuPerCommandMs: number;
      byCommand: Record<string, number[]>;
    };
    return {
      commands,
      own: summarize(out.own),
      wall: summarize(out.wall),
      cpuPerCommandMs: out.cpuPerCommandMs,
      byCommand: Object.fromEntries(Object.entries(out.byCommand).map(([k, v]) => [k, summarize(v)])),
    };
  } finally {
    await world.stop();
  }
}

export function printCommandOverhead(r: CommandResult): string {
  const rows = [['command', 'own p50 ms', 'own p99 ms']];
  for (const [k, s] of Object.entries(r.byCommand)) rows.push([`/${k}`, String(round(s.median, 2)), String(round(s.p99, 2))]);
  return [
    `Command overhead (${r.commands} commands, mixed)`,
    `  own time p50 ${round(r.own.median, 2)} ms, p99 ${round(r.own.p99, 2)} ms (wall incl. simulator p50 ${round(r.wall.median, 2)} ms, p99 ${round(r.wall.p99, 2)} ms); CPU ${round(r.cpuPerCommandMs, 2)} ms per command`,
    table(rows).replace(/^/gm, '  '),
  ].join('\n');
}
export { fmt };
