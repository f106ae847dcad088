import type {
  AccountSeed,
  AddedAccount,
  DeviceSeed,
  MediaSource,
  NetworkSeed,
  SimAccount,
  SimDevice,
  SimMedia,
  SimNetwork,
  SimSeed,
  SimSyncModule,
  SimUsbClip,
} from './types.js';

const DEFAULT_CLIP_SIZE = 64 * 1024;

const DEFAULT_NOTIFICATIONS: Readonly<Record<string, boolean>> = {
  low_battery: true,
  camera_offline: true,
  camera_usage: true,
  scheduling: true,
  motion: true,
  sync_module_offline: true,
  temperature: false,
  doorbell: true,
  wifi: true,
  lfr: true,
  bandwidth: true,
  battery_dead: true,
  local_storage: true,
  accessory_connected: true,
  accessory_disconnected: true,
  accessory_low_battery: true,
  general: true,
};

const DEFAULT_TYPE: Record<SimDevice['family'], string> = {
  camera: 'catalina',
  owl: 'owl',
  lotus: 'lotus',
};

export interface NewClip {
  accountId?: number;
  cameraId: number;
  source?: MediaSource;
  createdAt?: number;
  updatedAt?: number;
  size?: number;
  deleted?: boolean;
  partial?: boolean;
  watched?: boolean;
  id?: number;
  /** Listed with the legacy v2 paths (thumbnail without extension); see media-paths.ts. */
  legacyPaths?: boolean;
}

export type SimState = ReturnType<typeof createSimState>;

/** A counter that skips ids already taken, so explicit seed ids and generated ids coexist. */
function createIdSource(start: number, taken: (id: number) => boolean): () => number {
  let next = start;
  return () => {
    while (taken(next)) next++;
    return next++;
  };
}

/** In-memory world of the simulator. Maps keyed by id keep 10,000 accounts cheap. */
export function createSimState(deps: { now: () => number; defaultClipSize?: number }) {
  const clipSize = deps.defaultClipSize ?? DEFAULT_CLIP_SIZE;
  const accounts = new Map<number, SimAccount>();
  const accountsByEmail = new Map<string, SimAccount>();
  const networks = new Map<number, SimNetwork>();
  const syncModules = new Map<number, SimSyncModule>();
  const devices = new Map<number, SimDevice>();
  const media = new Map<number, SimMedia>();
  const usbClipIds = new Set<number>();

  const nextAccountId = createIdSource(100_001, (id) => accounts.has(id));
  const nextUserId = createIdSource(200_001, () => false);
  const nextNetworkId = createIdSource(300_001, (id) => networks.has(id));
  const nextSyncModuleId = createIdSource(400_001, (id) => syncModules.has(id));
  const nextDeviceId = createIdSource(500_001, (id) => devices.has(id));
  const nextMediaId = createIdSource(7_000_001, (id) => media.has(id));
  const nextUsbClipId = createIdSource(7_100_001, (id) => usbClipIds.has(id));

  const serialOf = (id: number): string => `G8T1AA${String(id).padStart(10, '0')}`;

  function resolveCamera(account: SimAccount, camera: number | string): SimDevice {
    if (typeof camera === 'number') {
      const device = devices.get(camera);
      if (!device || device.accountId !== account.id) throw new Error(`unknown camera ${camera}`);
      return device;
    }
    for (const networkId of account.networkIds) {
      for (const deviceId of networks.get(networkId)?.deviceIds ?? []) {
        const device = devices.get(deviceId);
        if (device?.name === camera) return device;
      }
    }
    throw new Error(`unknown camera name ${camera}`);
  }

  function addDevice(account: SimAccount, network: SimNetwork, seed: DeviceSeed, now: number): SimDevice {
    const id = seed.id ?? nextDeviceId();
    if (devices.has(id)) throw new Error(`duplicate device id ${id}`);
    const device: SimDevice = {
      id,
      accountId: account.id,
      networkId: network.id,
      family: seed.family,
      type: seed.type ?? DEFAULT_TYPE[seed.family],
      name: seed.name,
      serial: seed.serial ?? serialOf(id),
      fwVersion: seed.fwVersion ?? '10.78',
      enabled: seed.enabled ?? true,
      thumbnailTs: seed.thumbnailTs ?? Math.floor(now / 1000) - 60,
      temperature: seed.temperature ?? 70,
      battery: seed.battery ?? 'ok',
      wifi: seed.wifi ?? 4,
      online: seed.online ?? true,
      illuminator: 2,
      createdAt: now - 86_400_000,
      updatedAt: now,
    };
    devices.set(id, device);
    network.deviceIds.push(id);
    return device;
  }

  function addNetwork(account: SimAccount, seed: NetworkSeed, now: number, out: AddedAccount): SimNetwork {
    const id = seed.id ?? nextNetworkId();
    if (networks.has(id)) throw new Error(`duplicate network id ${id}`);
    const network: SimNetwork = {
      id,
      accountId: account.id,
      name: seed.name,
      armed: seed.armed ?? false,
      createdAt: now - 86_400_000,
      updatedAt: now,
      syncModuleId: null,
      deviceIds: [],
    };
    networks.set(id, network);
    account.networkIds.push(id);
    out.networkIds.push(id);
    for (const deviceSeed of seed.devices ?? []) {
      out.deviceIds.push(addDevice(account, network, deviceSeed, now).id);
    }
    const sm = seed.syncModule;
    if (sm) {
      const smId = sm.id ?? nextSyncModuleId();
      if (syncModules.has(smId)) throw new Error(`duplicate sync module id ${smId}`);
      const module: SimSyncModule = {
        id: smId,
        accountId: account.id,
        networkId: id,
        name: sm.name,
        serial: sm.serial ?? serialOf(smId),
        online: sm.online ?? true,
        localStorage: sm.localStorage ?? false,
        manifestId: sm.manifestId ?? String(8000 + (smId % 1000)),
        usbClips: [],
        createdAt: now - 86_400_000,
      };
      syncModules.set(smId, module);
      network.syncModuleId = smId;
      out.syncModuleIds.push(smId);
      for (const clip of sm.usbClips ?? []) {
        addUsbClip({ syncModuleId: smId, cameraId: resolveCamera(account, clip.camera).id, createdAt: clip.createdAt, size: clip.size, id: clip.id });
      }
    }
    return network;
  }

  function addAccount(seed: AccountSeed): AddedAccount {
    const now = deps.now();
    const email = seed.email.toLowerCase();
    if (accountsByEmail.has(email)) throw new Error(`duplicate account email ${seed.email}`);
    const id = seed.id ?? nextAccountId();
    if (accounts.has(id)) throw new Error(`duplicate account id ${id}`);
    const account: SimAccount = {
      id,
      email,
      password: seed.password,
      tier: seed.tier ?? 'u011',
      twoFactor: seed.twoFactor ?? 'none',
      twoFactorChannel: seed.twoFactorChannel ?? 'sms',
      pin: null,
      userId: seed.userId ?? nextUserId(),
      clientId: seed.clientId ?? nextUserId(),
      networkIds: [],
      notifications: { ...DEFAULT_NOTIFICATIONS, ...seed.notifications },
      media: [],
      rawEntries: [],
    };
    accounts.set(id, account);
    accountsByEmail.set(email, account);
    const out: AddedAccount = {
      accountId: id,
      userId: account.userId,
      clientId: account.clientId,
      networkIds: [],
      syncModuleIds: [],
      deviceIds: [],
    };
    const networkSeeds = seed.networks ?? [{ name: 'Home', armed: false, syncModule: { name: 'Sync' }, devices: [{ family: 'camera', name: 'Front Door' }] }];
    for (const networkSeed of networkSeeds) addNetwork(account, networkSeed, now, out);
    for (const m of seed.media ?? []) {
      addClip({
        accountId: id,
        cameraId: resolveCamera(account, m.camera).id,
        createdAt: m.createdAt,
        updatedAt: m.updatedAt,
        deleted: m.deleted,
        source: m.source,
        partial: m.partial,
        watched: m.watched,
        size: m.size,
        id: m.id,
      });
    }
    return out;
  }

  function addClip(clip: NewClip): number {
    const device = devices.get(clip.cameraId);
    if (!device) throw new Error(`unknown camera ${clip.cameraId}`);
    if (clip.accountId !== undefined && clip.accountId !== device.accountId) {
      throw new Error(`camera ${clip.cameraId} is not in account ${clip.accountId}`);
    }
    const account = accounts.get(device.accountId);
    if (!account) throw new Error(`camera ${clip.cameraId} has no account`);
    const id = clip.id ?? nextMediaId();
    if (media.has(id)) throw new Error(`duplicate media id ${id}`);
    const createdAt = clip.createdAt ?? deps.now();
    const item: SimMedia = {
      id,
      accountId: account.id,
      deviceId: device.id,
      createdAt,
      updatedAt: clip.updatedAt ?? Math.max(createdAt, deps.now()),
      deleted: clip.deleted ?? false,
      source: clip.source ?? 'pir',
      partial: clip.partial ?? false,
      watched: clip.watched ?? false,
      size: clip.size ?? clipSize,
      legacyPaths: clip.legacyPaths ?? false,
    };
    media.set(id, item);
    account.media.push(item);
    return id;
  }

  function addUsbClip(clip: { syncModuleId?: number; cameraId: number; createdAt?: number; size?: number; id?: number }): number {
    const device = devices.get(clip.cameraId);
    if (!device) throw new Error(`unknown camera ${clip.cameraId}`);
    const smId = clip.syncModuleId ?? networks.get(device.networkId)?.syncModuleId ?? null;
    const module = smId === null ? undefined : syncModules.get(smId);
    if (!module) throw new Error(`camera ${clip.cameraId} has no sync module`);
    const id = clip.id ?? nextUsbClipId();
    if (usbClipIds.has(id)) throw new Error(`duplicate usb clip id ${id}`);
    usbClipIds.add(id);
    const item: SimUsbClip = {
      id,
      cameraId: device.id,
      createdAt: clip.createdAt ?? deps.now(),
      size: clip.size ?? clipSize,
      uploaded: false,
    };
    module.usbClips.push(item);
    return id;
  }

  /**
   * Forgets every cloud clip created before `ms` (epoch): Blink's own cloud retention (30 to
   * 60 days by region) purges old clips, which are then not listed at all. Returns how many.
   */
  function purgeClipsCreatedBefore(ms: number): number {
    let purged = 0;
    for (const account of accounts.values()) {
      let kept = 0;
      for (const m of account.media) {
        if (m.createdAt < ms) {
          media.delete(m.id);
          purged++;
        } else account.media[kept++] = m;
      }
      account.media.length = kept;
    }
    return purged;
  }

  function load(seed: SimSeed): AddedAccount[] {
    return seed.accounts.map(addAccount);
  }

  return {
    accounts,
    accountsByEmail,
    networks,
    syncModules,
    devices,
    media,
    now: deps.now,
    addAccount,
    addClip,
    addUsbClip,
    purgeClipsCreatedBefore,
    load,
    accountByEmail: (email: string): SimAccount | undefined => accountsByEmail.get(email.toLowerCase()),
    syncModuleOf: (network: SimNetwork): SimSyncModule | undefined => (network.syncModuleId === null ? undefined : syncModules.get(network.syncModuleId)),
    devicesOf: (network: SimNetwork): SimDevice[] =>
      network.deviceIds.flatMap((id) => {
        const d = devices.get(id);
        return d ? [d] : [];
      }),
    networksOf: (account: SimAccount): SimNetwork[] =>
      account.networkIds.flatMap((id) => {
        const n = networks.get(id);
        return n ? [n] : [];
      }),
  };
}
