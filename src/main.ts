import { createApp } from './app/create-app.js';
import { createLifecycle } from './app/lifecycle.js';
import { loadConfig, withDotEnv } from './config/index.js';
import { AppError, ConfigError, SecretKeyError } from './errors.js';

/**
 * The entry (`npm start`). Exit codes: 0 after a clean SIGINT/SIGTERM, 2 for bad
 * configuration (including a missing or wrong token key), 1 for any other failure to start or
 * a front end that had to give up (Telegram 409 Conflict). One way to stop
 * (docs/architecture.md): this function owns the
 * AbortController; the lifecycle stops alerts (in-flight sends get 10 s), then front ends.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(withDotEnv(process.env, process.cwd()), { requireFrontEnd: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${problem}\n`);
      return 2;
    }
    throw error;
  }

  // Last resort: a promise someone forgot to handle is a bug to log, not a reason to stop
  // watching someone's house. Every known path has its own boundary; this only logs. It is
  // installed first so that a rejection during start-up is logged too.
  let log: { error(fields: object, msg: string): void } | undefined;
  process.on('unhandledRejection', (reason) => {
    if (log) log.error({ err: reason }, 'unhandled rejection (bug): logged, still running');
    else process.stderr.write(`blink-bot: unhandled rejection (bug), still running: ${describe(reason)}\n`);
  });

  const controller = new AbortController();
  let exitCode = 0;
  const stopSignal = waitForStop(controller);
  let app;
  try {
    app = await createApp({
      config,
      onFatal: (line) => {
        process.stderr.write(`${line}\n`);
        exitCode = 1;
        controller.abort(new Error(line));
      },
    });
  } catch (error) {
    // The wrong or a missing key is configuration: exit 2 with what to do, nothing changed.
    if (error instanceof SecretKeyError) {
      process.stderr.write(`blink-bot: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  log = app.log;
  try {
    const lifecycle = createLifecycle({ services: app.services, log: app.log, stopTimeoutMs: 12_000 });
    try {
      await lifecycle.start(controller.signal);
      if (!controller.signal.aborted) app.log.info({ frontEnds: app.frontEnds.map((f) => f.name), http: app.http?.url() ?? null }, 'ready');
    } catch (error) {
      exitCode = 1;
      // A fatal front end already printed its line; anything else gets one here.
      if (!controller.signal.aborted) process.stderr.write(`blink-bot: failed to start: ${describe(error)}\n`);
      controller.abort(error);
    }
    const reason = await stopSignal;
    app.log.info({ reason }, 'stopping');
    await lifecycle.stop();
    return exitCode;
  } finally {
    await app.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof AppError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Resolves with the first SIGINT/SIGTERM (or an abort from inside); a second signal exits at once. */
function waitForStop(controller: AbortController): Promise<string> {
  return new Promise((resolve) => {
    // Signal listeners do not keep Node's event loop alive; until stop, this does.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let settled = false;
    const done = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearInterval(keepAlive);
      resolve(reason);
    };
    controller.signal.addEventListener('abort', () => done('fatal'), { once: true });
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      done(signal);
      controller.abort(new Error(`received ${signal}`));
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
    setTimeout(() => process.exit(1), 2_000).unref();
  },
);
