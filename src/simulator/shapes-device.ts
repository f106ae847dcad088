import type { SimCommand, SimDevice, SimMedia, SimNetwork, SimUsbClip } from './types.js';
import { cameraThumbnailPath, clipPath, clipThumbnailPath } from './media-paths.js';
import { isoUtc } from './time-format.js';

/** JSON bodies of device, command and media routes, shaped like captured ones (docs/blink-api.md). */

const BLINK_COMMAND_NAME: Record<SimCommand['kind'], string> = {
  arm: 'arm',
  disarm: 'disarm',
  enable: 'device_motion_enable',
  disable: 'device_motion_disable',
  thumbnail: 'thumbnail',
  clip: 'clip',
  liveview: 'lv_relay',
  config_set: 'config_set',
  ls_manifest: 'local_storage_manifest',
  ls_upload: 'local_storage_clip_upload',
};

export function cameraConfigBody(device: SimDevice, smId: number | null): Record<string, unknown> {
  return {
    camera: [
      {
        id: device.id,
        created_at: isoUtc(device.createdAt),
        updated_at: isoUtc(device.updatedAt),
        deleted_at: null,
        name: device.name,
        serial: device.serial,
        fw_version: device.fwVersion,
        type: device.type,
        enabled: device.enabled,
        thumbnail: cameraThumbnailPath(device),
        status: device.online ? 'done' : 'offline',
        network_id: device.networkId,
        sync_module_id: smId,
        account_id: device.accountId,
        battery_state: device.battery,
        battery_voltage: device.battery === 'ok' ? 158 : 118,
        battery_alarm_enable: false,
        temperature: device.temperature,
        temp_adjust: 0,
        temp_min: 40,
        temp_max: 95,
        temp_alarm_enable: false,
        wifi_strength: -40 - (5 - device.wifi) * 8,
        lfr_strength: -61,
        motion_sensitivity: 5,
        motion_alert: true,
        motion_regions: 33554431,
        alert_interval: 10,
        video_length: 30,
        video_quality: 'standard',
        video_quality_support: ['saver', 'standard', 'best'],
        record_audio_enable: true,
        early_termination: true,
        early_termination_supported: true,
        illuminator_enable: device.illuminator,
        illuminator_duration: 1,
        illuminator_intensity: 7,
        night_vision_exposure: 1,
        flip_video: false,
        local_storage_compatible: true,
        local_storage_enabled: false,
        snooze_till: null,
        unit_number: 1,
        mac_address: null,
        ip_address: null,
      },
    ],
    // The config's top-level signals also carry battery_state; /signals does not.
    signals: { ...signalsBody(device), battery_state: device.battery },
  };
}

export function signalsBody(device: SimDevice): Record<string, unknown> {
  return {
    updated_at: isoUtc(device.updatedAt),
    battery: device.battery === 'ok' ? 3 : 1,
    lfr: 5,
    temp: device.temperature + 1,
    wifi: device.wifi,
  };
}

const ILLUMINATOR_NAMES = ['off', 'on', 'auto'] as const;

export function owlConfigBody(device: SimDevice): Record<string, unknown> {
  const illuminator = ILLUMINATOR_NAMES[device.illuminator] ?? 'auto';
  return {
    name: device.name,
    updated_at: isoUtc(device.updatedAt),
    // A number here, a string in homescreen: a real quirk (docs/blink-api.md, "Devices").
    fw_version: Number.parseFloat(device.fwVersion) || 0,
    enabled: device.enabled,
    led_enabled: true,
    led_state: 'on',
    status: device.online ? 'online' : 'offline',
    video_quality: 'best',
    clip_length_max: 30,
    clip_length: 20,
    retrigger_time: 10,
    motion_sensitivity: 6,
    motion_regions: 33554431,
    advanced_motion_regions: Array.from({ length: 12 }, () => 4095),
    early_termination: true,
    night_vision_control: 'normal',
    early_notification: false,
    early_notification_compatible: true,
    early_termination_supported: true,
    illuminator_enable: illuminator,
    illuminator_enable_v2: illuminator,
    illuminator_duration: 1,
    illuminator_intensity: 4,
    record_audio_enable: true,
    volume_control: 5,
    wifi: device.wifi,
    video_recording_enable: true,
    video_recording_optional: true,
    flip_video: false,
    flip_video_compatible: true,
    local_storage_enabled: false,
    local_storage_compatible: true,
  };
}

/** The inner command record (`commands[]` of a status answer, or a full POST answer). */
export function commandRecord(cmd: SimCommand, extra: { smId: number | null; cameraId: number | null }): Record<string, unknown> {
  const created = isoUtc(cmd.createdAt);
  const finished = cmd.state !== 'running';
  const isDevice = cmd.kind === 'enable' || cmd.kind === 'disable' || cmd.kind === 'thumbnail' || cmd.kind === 'config_set';
  return {
    id: cmd.id,
    created_at: created,
    updated_at: isoUtc(cmd.updatedAt),
    execute_time: created,
    command: BLINK_COMMAND_NAME[cmd.kind],
    state_stage: cmd.state === 'done' ? 'vs' : cmd.state === 'failed' ? 'dev' : 'rest',
    stage_rest: created,
    stage_cs_db: finished ? created : null,
    stage_cs_sent: finished ? created : null,
    stage_sm: finished ? created : null,
    stage_dev: cmd.state === 'done' ? isoUtc(cmd.updatedAt) : null,
    stage_is: null,
    stage_lv: null,
    stage_vs: cmd.state === 'done' ? isoUtc(cmd.updatedAt) : null,
    state_condition: cmd.state === 'running' ? (cmd.pollsLeft > 0 ? 'running' : 'new') : cmd.state,
    sm_ack: finished ? 1 : null,
    lfr_ack: cmd.state === 'done' ? 0 : null,
    sequence: finished ? 412 : null,
    attempts: 0,
    transaction: `tx-sim${cmd.id}`,
    player_transaction: `ptx-sim${cmd.id}`,
    server: null,
    duration: cmd.state === 'done' ? 0 : null,
    by_whom: 'blink-sim',
    diagnostic: false,
    debug: '',
    opts_1: 0,
    target: isDevice ? 'camera' : null,
    target_id: isDevice ? extra.cameraId : null,
    parent_command_id: null,
    camera_id: extra.cameraId,
    siren_id: null,
    firmware_id: null,
    network_id: cmd.networkId,
    account_id: cmd.accountId,
    sync_module_id: extra.smId,
  };
}

/** Short answer used by arm/disarm, Mini actions and local-storage requests. */
export function shortCommandBody(cmd: SimCommand, childIds: number[] = []): Record<string, unknown> {
  if (cmd.kind === 'ls_manifest' || cmd.kind === 'ls_upload') return { id: cmd.id, network_id: cmd.networkId };
  const base = { id: cmd.id, network_id: cmd.networkId, command: BLINK_COMMAND_NAME[cmd.kind], state: 'new' };
  if (cmd.kind !== 'arm' && cmd.kind !== 'disarm') return base;
  const commands = childIds.map((id) => ({ id, network_id: cmd.networkId, command: 'config_lfr', state: 'running' }));
  return { ...base, commands };
}

export function commandStatusBody(cmd: SimCommand, extra: { smId: number | null; cameraId: number | null }): Record<string, unknown> {
  const failed = cmd.state === 'failed';
  return {
    complete: cmd.state !== 'running',
    status: 0,
    status_msg: failed ? 'Command failed' : 'Command succeeded',
    status_code: failed ? 999 : 908,
    commands: [commandRecord(cmd, extra)],
    media_id: null,
  };
}

export function liveviewBody(cmd: SimCommand, device: SimDevice, clientId: number, server?: string): Record<string, unknown> {
  return {
    command_id: cmd.id,
    join_available: true,
    join_state: 'available',
    server: server ?? `immis://127.0.0.1:443/Sim${cmd.id}__IMDS_${device.serial}?client_id=${clientId}`,
    duration: 300,
    extended_duration: 5400,
    continue_interval: 300,
    continue_warning: 0,
    polling_interval: 15,
    submit_logs: true,
    new_command: true,
    network_id: cmd.networkId,
    media_id: null,
    options: { poor_connection: false },
    liveview_token: `lvt-sim${cmd.id}`,
  };
}

export function mediaEntry(item: SimMedia, device: SimDevice, network: SimNetwork): Record<string, unknown> {
  return {
    id: item.id,
    created_at: isoUtc(item.createdAt),
    updated_at: isoUtc(item.updatedAt),
    deleted: item.deleted,
    device: device.type,
    device_id: device.id,
    device_name: device.name,
    network_id: network.id,
    network_name: network.name,
    type: 'video',
    source: item.source,
    watched: item.watched,
    partial: item.partial,
    thumbnail: clipThumbnailPath(item, device),
    media: clipPath(item, device),
    metadata: null,
    additional_devices: [],
    time_zone: 'America/New_York',
  };
}

export function manifestBody(
  manifestId: string,
  clips: SimUsbClip[],
  cameraName: (cameraId: number) => string,
  sizeOf: (clip: SimUsbClip) => number = (clip) => clip.size,
): { version: string; manifest_id: string; clips: Record<string, unknown>[] } {
  return {
    version: '1.0',
    manifest_id: manifestId,
    clips: [...clips]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((c) => ({
        id: String(c.id),
        size: String(sizeOf(c)),
        // blinkpy maps names back by dropping non-alphanumerics (docs/blink-api.md, "Local storage").
        camera_name: cameraName(c.cameraId).replace(/[^A-Za-z0-9]/g, ''),
        created_at: isoUtc(c.createdAt),
      })),
  };
}
