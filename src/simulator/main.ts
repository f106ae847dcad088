import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startBlinkSimulator } from './server.js';

/**
 * Runs the simulator as its own process (benchmarks, demo). Prints one JSON line with the
 * URLs on stdout; control it over `POST /__sim/<method>`; stops on SIGTERM/SIGINT.
 *   node --import tsx src/simulator/main.ts [--port 0] [--host 127.0.0.1] [--polls 1]
 * Env fallbacks: BLINK_SIM_PORT, BLINK_SIM_HOST.
 */
const Flags = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  host: z.string().default('127.0.0.1'),
  polls: z.coerce.number().int().min(0).default(1),
  empty: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      polls: { type: 'string' },
      empty: { type: 'boolean' },
    },
  });
  const flags = Flags.parse({
    port: values.port ?? process.env.BLINK_SIM_PORT,
    host: values.host ?? process.env.BLINK_SIM_HOST,
    polls: values.polls,
    empty: values.empty,
  });
  const sim = await startBlinkSimulator({
    port: flags.port,
    host: flags.host,
    commandPolls: flags.polls,
    ...(flags.empty ? { seed: { accounts: [] } } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: sim.url, oauthUrl: sim.oauthUrl, restUrlTemplate: sim.restUrlTemplate })}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`blink simulator failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
