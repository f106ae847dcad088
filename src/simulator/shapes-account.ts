import type { SimState } from './state.js';
import type { SimAccount, SimNetwork, SimSyncModule } from './types.js';
import { deviceThumbnailPath } from './media-paths.js';
import { isoUtc } from './time-format.js';
import { withRawEntries } from './raw-entries.js';

/** JSON bodies of the account-level routes, shaped like captured ones (docs/blink-api.md). */

const TIME_ZONE = 'America/New_York';
const HOMESCREEN_LISTS = ['networks', 'sync_modules', 'cameras', 'owls', 'doorbells'] as const;

export function networkObject(net: SimNetwork, sm: SimSyncModule | undefined): Record<string, unknown> {
  return {
    id: net.id,
    created_at: isoUtc(net.createdAt),
    updated_at: isoUtc(net.updatedAt),
    deleted_at: null,
    name: net.name,
    network_key: 'bm90LWEtcmVhbC1rZXk=',
    description: '',
    network_origin: 'normal',
    locale: '',
    time_zone: TIME_ZONE,
    dst: true,
    ping_interval: 60,
    encryption_key: null,
    armed: net.armed,
    autoarm_geo_enable: false,
    autoarm_time_enable: false,
    lv_mode: 'relay',
    lfr_channel: 0,
    video_destination: 'server',
    storage_used: 0,
    storage_total: 0,
    video_count: 0,
    video_history_count: 4000,
    sm_backup_enabled: false,
    arm_string: net.armed ? 'Armed' : 'Disarmed',
    busy: false,
    camera_error: false,
    // An offline sync module is what makes blinkpy stop refreshing that network (docs/blink-api.md, "Devices").
    sync_module_error: sm ? !sm.online : false,
    feature_plan_id: null,
    account_id: net.accountId,
    lv_save: false,
  };
}

export function networksBody(state: SimState, account: SimAccount): Record<string, unknown> {
  const nets = state.networksOf(account);
  const summary: Record<string, { name: string; onboarded: boolean }> = {};
  for (const n of nets) summary[String(n.id)] = { name: n.name, onboarded: true };
  return {
    summary,
    networks: nets.map((n) => {
      const full = networkObject(n, state.syncModuleOf(n));
      const { deleted_at: _d, lv_save: _l, ...rest } = full;
      return { ...rest, location_id: null };
    }),
  };
}

export function cameraUsageBody(state: SimState, account: SimAccount): Record<string, unknown> {
  return {
    range_days: 7,
    reference: { usage: 400 },
    // Every network is listed, even without regular cameras (blinkpy needs it; docs/blink-api.md, "Devices").
    networks: state.networksOf(account).map((n) => ({
      network_id: n.id,
      name: n.name,
      cameras: state
        .devicesOf(n)
        .filter((d) => d.family === 'camera')
        .map((d) => ({ id: d.id, name: d.name, usage: 37, lv_seconds: 9, clip_seconds: 28 })),
    })),
  };
}

export function syncModuleBody(sm: SimSyncModule, now: number): Record<string, unknown> {
  return {
    syncmodule: {
      id: sm.id,
      created_at: isoUtc(sm.createdAt),
      updated_at: isoUtc(now),
      last_activity: isoUtc(now),
      name: sm.name,
      fw_version: '4.4.8',
      mac_address: null,
      ip_address: '192.0.2.41',
      lfr_frequency: null,
      serial: sm.serial,
      status: sm.online ? 'online' : 'offline',
      onboarded: true,
      server: 'sm-sim.example.invalid',
      last_hb: isoUtc(now),
      os_version: 'sm2-4.4.8',
      last_wifi_alert: null,
      wifi_alert_count: 0,
      last_offline_alert: null,
      offline_alert_count: 0,
      table_update_sequence: 118,
      feature_plan_id: null,
      account_id: sm.accountId,
      network_id: sm.networkId,
      wifi_strength: 4,
    },
  };
}

function homescreenSyncModule(sm: SimSyncModule, now: number): Record<string, unknown> {
  return {
    id: sm.id,
    created_at: isoUtc(sm.createdAt),
    updated_at: isoUtc(now),
    onboarded: true,
    status: sm.online ? 'online' : 'offline',
    name: sm.name,
    serial: sm.serial,
    fw_version: '4.4.8',
    type: 'sm2',
    subtype: 'vinnie',
    last_hb: isoUtc(now),
    wifi_strength: 4,
    network_id: sm.networkId,
    enable_temp_alerts: true,
    local_storage_enabled: sm.localStorage,
    local_storage_compatible: true,
    local_storage_status: sm.localStorage ? 'active' : 'unavailable',
    revision: '01',
  };
}

export function homescreenBody(state: SimState, account: SimAccount): Record<string, unknown> {
  const now = state.now();
  const nets = state.networksOf(account);
  const devices = nets.flatMap((n) => state.devicesOf(n));
  const common = (d: (typeof devices)[number]): Record<string, unknown> => ({
    id: d.id,
    created_at: isoUtc(d.createdAt),
    updated_at: isoUtc(d.updatedAt),
    name: d.name,
    serial: d.serial,
    fw_version: d.fwVersion,
    type: d.type,
    enabled: d.enabled,
    thumbnail: deviceThumbnailPath(account, d),
  });
  const tail = {
    local_storage_enabled: false,
    local_storage_compatible: true,
    snooze: false,
    snooze_time_remaining: null,
  };
  const body: Record<string, unknown> = {
    account: {
      id: account.id,
      email_verified: true,
      email_verification_required: false,
      amazon_account_linked: false,
    },
    networks: nets.map((n) => ({
      id: n.id,
      created_at: isoUtc(n.createdAt),
      updated_at: isoUtc(n.updatedAt),
      name: n.name,
      time_zone: TIME_ZONE,
      dst: true,
      armed: n.armed,
      lv_save: false,
    })),
    sync_modules: nets.flatMap((n) => {
      const sm = state.syncModuleOf(n);
      return sm ? [homescreenSyncModule(sm, now)] : [];
    }),
    cameras: devices
      .filter((d) => d.family === 'camera')
      .map((d) => ({
        ...common(d),
        status: d.online ? 'done' : 'offline',
        battery: d.battery,
        usage_rate: false,
        network_id: d.networkId,
        issues: [],
        signals: { lfr: 5, wifi: d.wifi, temp: d.temperature + 1, battery: d.battery === 'ok' ? 3 : 1 },
        ...tail,
        revision: '01',
      })),
    sirens: [],
    chimes: [],
    video_stats: { storage: 3, auto_delete_days: 60, auto_delete_day_options: [3, 7, 14, 30, 60] },
    doorbell_buttons: [],
    owls: devices
      .filter((d) => d.family === 'owl')
      .map((d) => ({
        ...common(d),
        onboarded: true,
        status: d.online ? 'online' : 'offline',
        network_id: d.networkId,
        ...tail,
        revision: '00',
        color: 'white',
      })),
    doorbells: devices
      .filter((d) => d.family === 'lotus')
      .map((d) => ({
        ...common(d),
        onboarded: true,
        status: d.online ? 'done' : 'offline',
        battery: d.battery,
        signals: { lfr: 4, wifi: d.wifi, battery: d.battery === 'ok' ? 3 : 1 },
        network_id: d.networkId,
        issues: [],
        doorbell_mode: 'lfr',
        changing_mode: false,
        config_out_of_sync: false,
        color: 'black',
        ...tail,
        revision: '00',
      })),
    app_updates: { message: 'OK', code: 103, update_available: false, update_required: false },
    device_limits: {
      camera: 10,
      chime: 5,
      doorbell: 10,
      doorbell_button: 2,
      owl: 10,
      siren: 5,
      total_devices: 20,
    },
    whats_new: { updated_at: 20260601, url: 'https://updates.example.invalid/' },
    subscriptions: { updated_at: '2026-06-01T00:00:00+00:00' },
    entitlements: { updated_at: '2026-06-01T00:00:00+00:00' },
    tiv_lock_enable: true,
    tiv_lock_status: { locked: true },
    accessories: { storm: [], rosie: [] },
  };
  for (const list of HOMESCREEN_LISTS) {
    const items = body[list];
    if (Array.isArray(items)) body[list] = withRawEntries(account, list, items);
  }
  return body;
}
