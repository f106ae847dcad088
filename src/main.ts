import { createLifecycle, type Service } from './app/lifecycle.js';
import { systemClock } from './clock.js';
import { formatChatRef, loadConfig } from './config/index.js';
import { createRepositories, openDatabase } from './db/index.js';
import { AppError, ConfigError } from './errors.js';
import { createLogger } from './log.js';
import { createSealer, loadOrCreateKey } from './secrets/index.js';

/**
 * The entry: the only place that builds concrete objects. Exit codes: 0 after a clean
 * SIGINT/SIGTERM, 2 for bad configuration, 1 for any other failure to start.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, { requireFrontEnd: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${problem}\n`);
      return 2;
    }
    throw error;
  }

  const log = createLogger({ level: config.logLevel });
  const clock = systemClock;
  const controller = new AbortController();
  const stopSignal = waitForStopSignal(controller);

  const db = openDatabase({ path: config.databasePath, log });
  try {
    const { key, source, keyPath } = loadOrCreateKey({ secretKeyFromEnv: config.secretKey(), databasePath: config.databasePath });
    if (source === 'created') log.warn({ keyPath }, 'generated a new token key; back it up with the database');
    const sealer = createSealer(key);
    const repos = createRepositories(db);
    repos.allowlist.seedFromEnv(config.allowedChats.map(formatChatRef), clock.now());

    // Front ends, pollers and the HTTP server join this list as they are written.
    const services: Service[] = [];
    void sealer;
    const lifecycle = createLifecycle({ services, log });
    await lifecycle.start(controller.signal);
    log.info(
      { telegram: config.telegram !== null, discord: config.discord !== null, keyId: sealer.keyId.toString('hex') },
      'ready',
    );

    const signalName = await stopSignal;
    log.info({ signal: signalName }, 'stopping');
    await lifecycle.stop();
    return 0;
  } finally {
    db.close();
  }
}

/** Resolves with the first SIGINT/SIGTERM and aborts the controller; a second signal exits at once. */
function waitForStopSignal(controller: AbortController): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    // Signal listeners do not keep Node's event loop alive; until services do, this does.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      clearInterval(keepAlive);
      controller.abort(new Error(`received ${signal}`));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Nothing should be left running; if something is, do not hang the container.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    // Expected start-up failures (database too new, bad key file) get one line, no stack.
    if (error instanceof AppError) process.stderr.write(`${error.name}: ${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
