import { parseArgs } from 'node:util';
import { startFakeTelegram } from './server.js';

/**
 * Runs the fake as its own process (benchmarks): prints one JSON line with `apiRoot`,
 * `token` and `control` (the `/__fake` base), then serves until SIGTERM or SIGINT.
 * Flags: --port N, --token T, --keep-bytes (default: count and hash uploads only).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      'keep-bytes': { type: 'boolean', default: false },
      'max-upload-mb': { type: 'string', default: '50' },
    },
  });
  const fake = await startFakeTelegram({
    port: Number(values.port),
    ...(values.token !== undefined ? { token: values.token } : {}),
    keepFileBytes: values['keep-bytes'],
    maxUploadBytes: Number(values['max-upload-mb']) * 1024 * 1024,
    controlRoutes: true,
  });
  process.stdout.write(`${JSON.stringify({ apiRoot: fake.apiRoot, token: fake.token, control: `${fake.apiRoot}/__fake` })}\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
