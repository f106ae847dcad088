import { z } from 'zod';
import type { SimControl } from './control.js';
import { jsonReply, type SimReply } from './http-io.js';
import { COMMAND_KINDS } from './types.js';

/**
 * `POST /__sim/<method>` with a JSON body → the same control method, for a simulator run
 * in another process (benchmarks, demo). `GET /__sim/counts` and `GET /__sim/log` read.
 */

const family = z.enum(['camera', 'owl', 'lotus']);
const camera = z.union([z.number().int(), z.string()]);
const DeviceSeed = z.object({
  id: z.number().int().optional(),
  family,
  type: z.string().optional(),
  name: z.string(),
  serial: z.string().optional(),
  fwVersion: z.string().optional(),
  enabled: z.boolean().optional(),
  thumbnailTs: z.number().int().optional(),
  temperature: z.number().optional(),
  battery: z.enum(['ok', 'low']).optional(),
  wifi: z.number().int().optional(),
  online: z.boolean().optional(),
});
const UsbClipSeed = z.object({
  id: z.number().int().optional(),
  camera,
  createdAt: z.number(),
  size: z.number().int().nonnegative().optional(),
});
const NetworkSeed = z.object({
  id: z.number().int().optional(),
  name: z.string(),
  armed: z.boolean().optional(),
  syncModule: z
    .object({
      id: z.number().int().optional(),
      name: z.string(),
      serial: z.string().optional(),
      online: z.boolean().optional(),
      localStorage: z.boolean().optional(),
      manifestId: z.string().optional(),
      usbClips: z.array(UsbClipSeed).optional(),
    })
    .nullable()
    .optional(),
  devices: z.array(DeviceSeed).optional(),
});
const source = z.enum(['pir', 'button', 'snapshot', 'liveview']);
const AccountSeed = z.object({
  id: z.number().int().optional(),
  email: z.string(),
  password: z.string(),
  tier: z
    .string()
    .regex(/^[a-z0-9]+$/)
    .optional(),
  twoFactor: z.enum(['none', '412', '202']).optional(),
  userId: z.number().int().optional(),
  clientId: z.number().int().optional(),
  networks: z.array(NetworkSeed).optional(),
  media: z
    .array(
      z.object({
        id: z.number().int().optional(),
        camera,
        createdAt: z.number(),
        updatedAt: z.number().optional(),
        deleted: z.boolean().optional(),
        source: source.optional(),
        partial: z.boolean().optional(),
        watched: z.boolean().optional(),
        size: z.number().int().nonnegative().optional(),
      }),
    )
    .optional(),
  notifications: z.record(z.string(), z.boolean()).optional(),
});
const optionalAccount = z.object({ accountId: z.number().int().optional() });

interface Op {
  run(control: SimControl, body: unknown): unknown;
}
function op<S extends z.ZodType>(schema: S, run: (control: SimControl, input: z.infer<S>) => unknown): Op {
  return { run: (control, body) => run(control, schema.parse(body)) };
}

const OPS: Record<string, Op> = {
  addAccount: op(AccountSeed, (c, seed) => c.addAccount(seed)),
  setTwoFactor: op(z.object({ email: z.string(), mode: z.enum(['none', '412', '202']), channel: z.enum(['sms', 'email']).optional() }), (c, i) =>
    c.setTwoFactor(i.email, i.mode, i.channel),
  ),
  currentPin: op(z.object({ email: z.string() }), (c, i) => ({ pin: c.currentPin(i.email) })),
  lastIssuedPin: op(z.object({}), (c) => ({ pin: c.lastIssuedPin() })),
  issueTokens: op(z.object({ accountId: z.number().int() }), (c, i) => c.issueTokens(i.accountId)),
  addClip: op(
    z.object({
      accountId: z.number().int().optional(),
      cameraId: z.number().int(),
      source: source.optional(),
      createdAt: z.number().optional(),
      size: z.number().int().nonnegative().optional(),
      deleted: z.boolean().optional(),
      partial: z.boolean().optional(),
      legacyPaths: z.boolean().optional(),
    }),
    (c, i) => ({ id: c.addClip(i) }),
  ),
  deleteClip: op(z.object({ mediaId: z.number().int() }), (c, i) => c.deleteClip(i.mediaId)),
  purgeClipsCreatedBefore: op(z.object({ before: z.number() }), (c, i) => ({ purged: c.purgeClipsCreatedBefore(i.before) })),
  addUsbClip: op(
    z.object({
      cameraId: z.number().int(),
      syncModuleId: z.number().int().optional(),
      createdAt: z.number().optional(),
      size: z.number().int().nonnegative().optional(),
    }),
    (c, i) => ({ id: c.addUsbClip(i) }),
  ),
  setCameraState: op(
    z.object({
      cameraId: z.number().int(),
      online: z.boolean().optional(),
      battery: z.enum(['ok', 'low']).optional(),
      temperature: z.number().optional(),
      wifi: z.number().int().optional(),
      enabled: z.boolean().optional(),
      name: z.string().optional(),
      thumbnailTs: z.number().int().optional(),
    }),
    (c, { cameraId, ...patch }) => c.setCameraState(cameraId, patch),
  ),
  setSyncModuleOnline: op(z.object({ syncModuleId: z.number().int(), online: z.boolean() }), (c, i) => c.setSyncModuleOnline(i.syncModuleId, i.online)),
  setLocalStorage: op(z.object({ syncModuleId: z.number().int(), active: z.boolean() }), (c, i) => c.setLocalStorage(i.syncModuleId, i.active)),
  setArmed: op(z.object({ networkId: z.number().int(), armed: z.boolean() }), (c, i) => c.setArmed(i.networkId, i.armed)),
  expireAccessTokens: op(optionalAccount, (c, i) => ({ count: c.expireAccessTokens(i.accountId) })),
  revokeRefreshTokens: op(optionalAccount, (c, i) => ({ count: c.revokeRefreshTokens(i.accountId) })),
  injectFault: op(
    z
      .object({
        method: z.string().optional(),
        path: z.string().optional(),
        pathRegex: z.string().optional(),
        status: z.number().int().min(100).max(599).optional(),
        body: z.unknown().optional(),
        retryAfterSec: z.number().nonnegative().optional(),
        location: z.string().optional(),
        delayMs: z.number().nonnegative().optional(),
        hang: z.boolean().optional(),
        truncateAfterBytes: z.number().int().nonnegative().optional(),
        malformedJson: z.boolean().optional(),
        busy: z.boolean().optional(),
        times: z.number().int().positive().optional(),
      })
      .refine((f) => f.path !== undefined || f.pathRegex !== undefined, { message: 'path or pathRegex is required' }),
    (c, { path, pathRegex, ...rest }) => c.injectFault({ ...rest, path: pathRegex !== undefined ? new RegExp(pathRegex) : (path ?? '') }),
  ),
  clearFaults: op(z.object({}), (c) => c.clearFaults()),
  injectRawEntry: op(
    z.object({
      accountId: z.number().int().optional(),
      list: z.enum(['networks', 'sync_modules', 'cameras', 'owls', 'doorbells', 'media', 'manifest']),
      entry: z.unknown(),
      at: z.number().int().nonnegative().optional(),
    }),
    (c, i) => c.injectRawEntry(i),
  ),
  clearRawEntries: op(optionalAccount, (c, i) => c.clearRawEntries(i.accountId)),
  resetCounts: op(z.object({}), (c) => c.resetCounts()),
  setCommandPolls: op(z.object({ n: z.number().int().nonnegative() }), (c, i) => c.setCommandPolls(i.n)),
  failNextCommand: op(
    z.object({
      count: z.number().int().positive().optional(),
      kind: z.enum(COMMAND_KINDS).optional(),
      networkId: z.number().int().optional(),
    }),
    (c, { count, kind, networkId }) => c.failNextCommand(count, { kind, networkId }),
  ),
  setAuthorizeRedirect: op(z.object({ redirect: z.boolean() }), (c, i) => c.setAuthorizeRedirect(i.redirect)),
  setVerifyRedirect: op(z.object({ redirect: z.boolean() }), (c, i) => c.setVerifyRedirect(i.redirect)),
  advanceClock: op(z.object({ ms: z.number() }), (c, i) => c.advanceClock(i.ms)),
};

export function handleControlRequest(control: SimControl, method: string, name: string, body: Buffer): SimReply {
  if (method === 'GET' && name === 'counts') return jsonReply(200, control.requestCounts());
  if (method === 'GET' && name === 'log') return jsonReply(200, control.requestLog());
  const handler = OPS[name];
  if (method !== 'POST' || !handler) return jsonReply(404, { error: `unknown control ${method} ${name}` });
  let input: unknown = {};
  const text = body.toString('utf8').trim();
  try {
    if (text !== '') input = JSON.parse(text);
  } catch {
    return jsonReply(400, { error: 'body is not JSON' });
  }
  try {
    const result = handler.run(control, input);
    return jsonReply(200, result ?? { ok: true });
  } catch (err) {
    if (err instanceof z.ZodError) return jsonReply(400, { error: 'invalid input', issues: err.issues });
    return jsonReply(400, { error: err instanceof Error ? err.message : String(err) });
  }
}
