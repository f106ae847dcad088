/**
 * Homescreen → BlinkInventory (docs/blink-api.md, "Devices"). The family comes from the list a
 * device appears in (cameras / owls / doorbells), never from `type`; unknown types stay in
 * their list's family with the capabilities their fields expose.
 */
import { BlinkApiError, BlinkAuthError, BlinkProtocolError, BlinkRateLimitError } from '../errors.js';
import type { AccountContext } from './context.js';
import { CameraConfig, Homescreen, type HomescreenDevice } from './schemas.js';
import type { BlinkCamera, BlinkInventory, CallOptions, CameraCapabilities, CameraFamily } from './types.js';

const HOMESCREEN = 'homescreen';
const homescreenPath = (accountId: string): string => `/api/v3/accounts/${accountId}/homescreen`;

function online(status: string | boolean | undefined): boolean | undefined {
  if (typeof status === 'boolean') return status;
  if (status === 'online' || status === 'done') return true;
  if (status === 'offline') return false;
  return undefined;
}

function capabilities(family: CameraFamily, d: HomescreenDevice): CameraCapabilities {
  const battery = d.battery !== undefined || d.battery_state !== undefined || d.signals?.battery !== undefined;
  const temperature = d.signals?.temp !== undefined || d.temperature !== undefined;
  return { motionToggle: true, snap: true, recordClip: true, battery, temperature, ring: family === 'doorbell' };
}

function toCamera(family: CameraFamily, d: HomescreenDevice): BlinkCamera {
  const camera: BlinkCamera = {
    id: d.id,
    networkId: d.network_id,
    name: d.name,
    family,
    type: d.type ?? (family === 'owl' ? 'owl' : family === 'doorbell' ? 'lotus' : 'camera'),
    capabilities: capabilities(family, d),
  };
  const set = <K extends keyof BlinkCamera>(k: K, v: BlinkCamera[K] | undefined): void => {
    if (v !== undefined) camera[k] = v;
  };
  set('motionEnabled', d.enabled);
  set('online', online(d.status));
  set('battery', d.battery_state ?? d.battery);
  set('batteryLevel', d.signals?.battery);
  set('temperatureF', d.signals?.temp ?? d.temperature);
  set('wifiStrength', d.wifi_strength ?? d.signals?.wifi);
  set('serial', d.serial);
  set('firmware', d.fw_version);
  set('thumbnail', d.thumbnail);
  set('thumbnailAtMs', d.thumbnail === undefined ? undefined : thumbnailTime(d.thumbnail));
  return camera;
}

export function toInventory(accountId: string, h: Homescreen): BlinkInventory {
  return {
    accountId,
    networks: (h.networks ?? []).map((n) => ({
      id: n.id,
      name: n.name,
      armed: n.armed,
      ...(n.time_zone !== undefined ? { timeZone: n.time_zone } : {}),
    })),
    syncModules: (h.sync_modules ?? []).map((s) => ({
      id: s.id,
      networkId: s.network_id,
      name: s.name ?? s.id,
      online: online(s.status),
      ...(s.serial !== undefined ? { serial: s.serial } : {}),
      localStorageActive: s.local_storage_status === 'active',
    })),
    cameras: [
      ...(h.cameras ?? []).map((d) => toCamera('camera', d)),
      ...(h.owls ?? []).map((d) => toCamera('owl', d)),
      ...(h.doorbells ?? []).map((d) => toCamera('doorbell', d)),
    ],
  };
}

export async function readHomescreen(ctx: AccountContext, opts?: CallOptions): Promise<Homescreen> {
  const res = await ctx.getWithHeaders(Homescreen, homescreenPath(ctx.accountId), HOMESCREEN, opts);
  const clientId = res.headers['client-id'];
  if (typeof clientId === 'string' && clientId !== '') ctx.seenClientId = clientId;
  return res.body;
}

const configPath = (c: Pick<BlinkCamera, 'networkId' | 'id'>): string => `/network/${c.networkId}/camera/${c.id}/config`;

/** Regular-camera config (docs/blink-api.md, "Devices"): one request, the source of dBm Wi-Fi and temperature. */
async function readCameraConfig(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions): Promise<BlinkCamera> {
  const config = await ctx.get(CameraConfig, configPath(camera), 'network/camera/config', opts);
  const [c] = config.camera;
  if (!c) return camera;
  const fresh = toCamera(camera.family, { ...c, signals: c.signals ?? config.signals });
  // Homescreen knows some things config does not (and vice versa); merge with config first.
  return {
    ...camera,
    ...fresh,
    capabilities: { ...camera.capabilities, ...fresh.capabilities, battery: camera.capabilities.battery || fresh.capabilities.battery },
  };
}

export async function inventory(ctx: AccountContext, opts?: CallOptions & { detailed?: boolean }): Promise<BlinkInventory> {
  const inv = toInventory(ctx.accountId, await readHomescreen(ctx, opts));
  if (!opts?.detailed) return inv;
  const cameras: BlinkCamera[] = [];
  for (const camera of inv.cameras) {
    cameras.push(camera.family === 'camera' ? await detailOrAsIs(ctx, camera, opts) : camera);
  }
  return { ...inv, cameras };
}

/**
 * The config read of one camera that Blink refuses or answers oddly (a device of a kind we do
 * not model, docs/blink-api.md "Tolerant parsing") leaves that camera with its homescreen
 * fields; a lost session, a rate limit or an unreachable Blink still fail the whole call.
 */
async function detailOrAsIs(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions): Promise<BlinkCamera> {
  try {
    return await readCameraConfig(ctx, camera, opts);
  } catch (error) {
    const deviceOnly =
      (error instanceof BlinkApiError && !(error instanceof BlinkAuthError) && !(error instanceof BlinkRateLimitError)) || error instanceof BlinkProtocolError;
    if (!deviceOnly || opts?.signal?.aborted) throw error;
    ctx.log.warn(
      { accountId: ctx.accountId, cameraId: camera.id, err: error instanceof Error ? error.message : 'unknown' },
      'Blink camera config unreadable; showing the homescreen fields only',
    );
    return camera;
  }
}

/** The device's current entry (config for regular cameras, homescreen for the others). */
export async function rereadCamera(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions): Promise<BlinkCamera> {
  if (camera.family === 'camera') return readCameraConfig(ctx, camera, opts);
  const inv = toInventory(ctx.accountId, await readHomescreen(ctx, opts));
  const found = inv.cameras.find((c) => c.id === camera.id && c.family === camera.family);
  return found ?? camera;
}

/**
 * When a thumbnail was taken, from its reference: a bare Unix timestamp, the `ts=` of the
 * modern form, or the `_YYYY_MM_DD__HH_MMAM` stamp (UTC) of the legacy form. See
 * docs/blink-api.md, "Clips and media".
 */
function thumbnailTime(value: string): number | undefined {
  const seconds = /^\d+$/.test(value) ? value : /[?&]ts=(\d+)/.exec(value)?.[1];
  if (seconds !== undefined) return Number(seconds) * 1000;
  const m = /_(\d{4})_(\d{2})_(\d{2})__(\d{2})_(\d{2})(AM|PM)$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, half] = m;
  const hour = (Number(h) % 12) + (half === 'PM' ? 12 : 0);
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi));
  return Number.isFinite(ms) ? ms : undefined;
}

/** docs/blink-api.md, "Clips and media": where a camera's thumbnail lives, relative to the REST base. */
export function thumbnailPath(accountId: string, camera: Pick<BlinkCamera, 'id' | 'networkId' | 'type' | 'thumbnail'>): string | undefined {
  const value = camera.thumbnail;
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) {
    return `/api/v3/media/accounts/${accountId}/networks/${camera.networkId}/${camera.type}/${camera.id}/thumbnail/thumbnail.jpg?ts=${value}&ext=`;
  }
  const path = value.startsWith('/') ? value : `/${value}`;
  return value.endsWith('&ext=') ? path : `${path}.jpg`;
}
