/** Shared set-up for the Blink core tests: simulator, fast clock, recording store and log. */
import type { TestContext } from 'node:test';
import type { Clock } from '../../src/clock.js';
import { createHostPolicy } from '../../src/blink/hosts.js';
import { createBlinkService, type BlinkServiceDeps } from '../../src/blink/service.js';
import type { BlinkSessionData, SessionStore } from '../../src/blink/types.js';
import { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from '../../src/simulator/index.js';
import { emptyJson, serveLoopback } from '../helpers/loopback.js';
import { until } from '../helpers/until.js';

export const EMAIL = 'owner@example.com';
export const PASSWORD = 'correct-horse-battery-staple';

/** A clock whose sleeps pass at once (virtual time moves forward by the slept amount). */
export function createFastClock(start = Date.now()): Clock & { advance(ms: number): void; slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      slept.push(ms);
      now += Math.max(0, ms);
      return new Promise((resolve, reject) => {
        if (signal?.aborted) reject(signal.reason);
        else setImmediate(resolve);
      });
    },
  };
}

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** A log that keeps each line as `message {fields}`. */
export function recordingLog() {
  const lines: string[] = [];
  const rec = (obj: object, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`);
  return { lines, log: { debug: rec, info: rec, warn: rec, error: rec } };
}

export interface MemoryStore extends SessionStore {
  saved: BlinkSessionData[];
}

export function memoryStore(onSave?: (s: BlinkSessionData) => void | Promise<void>): MemoryStore {
  const saved: BlinkSessionData[] = [];
  return {
    saved,
    async save(s) {
      await onSave?.(s);
      saved.push(s);
    },
  };
}

export async function startSim(t: TestContext, options: BlinkSimulatorOptions = {}): Promise<BlinkSimulator> {
  const sim = await startBlinkSimulator({ commandPolls: 1, ...options });
  t.after(() => sim.close());
  return sim;
}

export const fastLimits = {
  globalPerSecond: 10_000,
  perAccountMinTimeMs: 0,
  backoffBaseMs: 10,
  backoffMaxMs: 50,
};

export function makeService(t: TestContext, sim: BlinkSimulator, extra: Partial<BlinkServiceDeps> = {}) {
  const clock = createFastClock();
  const service = createBlinkService({
    urls: { oauth: sim.url, restTemplate: `${sim.url}/rest-{tier}` },
    clock,
    log: silentLog,
    limits: fastLimits,
    timeouts: { apiMs: 2000, mediaMs: 5000 },
    commands: { pollIntervalMs: 1000, busyBackoffMs: 100, snapBackoffMs: 100 },
    ...extra,
  });
  t.after(() => service.close());
  return { service, clock };
}

/**
 * Starts a login that Blink answers with a 2FA step (`mode` 412 or 202; with `redirect`, a
 * good code is answered with a redirect as newer Blink does) and returns the pending step.
 */
export async function awaitingCode(t: TestContext, sim: BlinkSimulator, o: { mode?: '412' | '202'; redirect?: boolean } = {}) {
  sim.setTwoFactor(EMAIL, o.mode ?? '412');
  if (o.redirect) sim.setVerifyRedirect(true);
  const { service, clock } = makeService(t, sim);
  const step = await service.login(EMAIL, PASSWORD);
  if (step.kind !== 'awaiting-code') throw new Error(`expected 2FA, got ${step.kind}`);
  return { service, clock, pending: step.pending };
}

/** A code the simulator did not send (for the bad-code cases). */
export const wrongCode = (pin: string | null | undefined): string => (pin === '000000' ? '111111' : '000000');

/** Logs in without 2FA and returns an account client. */
export async function loggedIn(t: TestContext, sim: BlinkSimulator, extra: Partial<BlinkServiceDeps> = {}) {
  const { service, clock } = makeService(t, sim, extra);
  const step = await service.login(EMAIL, PASSWORD);
  if (step.kind !== 'done') throw new Error('expected a login without 2FA');
  const store = memoryStore();
  const account = service.account(step.session, store);
  return { service, clock, account, store, session: step.session };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/**
 * A JSON server on 127.0.0.1 that records the order of request paths and holds the answer
 * to `/<held>` until `release()`, so later requests queue behind it in the limiters.
 */
export async function startOrderServer(t: TestContext, held: string) {
  const order: string[] = [];
  let release: () => void = () => undefined;
  const heldAnswer = new Promise<void>((r) => (release = r));
  const base = await serveLoopback(t, (req, res) => {
    order.push(req.url ?? '');
    if (req.url === `/${held}`) void heldAnswer.then(() => emptyJson(req, res));
    else emptyJson(req, res);
  });
  /** Resolves once the held request arrived. */
  const heldArrived = async (): Promise<void> => {
    await until(() => order.length > 0, 'the held request at the server');
  };
  return { base, order, release: () => release(), heldArrived };
}

/** The host policy of a test server: its own origin is Blink's OAuth and REST host. */
export function hostsOf(url: string) {
  const origin = new URL(url).origin;
  return createHostPolicy({ oauth: origin, restTemplate: origin });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A server that is not Blink (an attacker's, a CDN): records every request it gets. */
export async function startOutsider(t: TestContext): Promise<{ origin: string; seen: RecordedRequest[] }> {
  const seen: RecordedRequest[] = [];
  const origin = await serveLoopback(t, (req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
    emptyJson(req, res);
  });
  return { origin, seen };
}
