/**
 * Device health alerts from the inventory: camera offline/online, battery low/ok, sync
 * module offline/online. The first observation of a device is its baseline (no alert);
 * afterwards each transition is stored in device_health and queued once per chat.
 */
import type { BlinkInventory } from '../blink/types.js';
import type { AlertStore, NewOutboxRow } from './alert-store.js';

interface Observation {
  deviceId: string;
  cameraId?: string;
  kind: 'online' | 'battery';
  state: string;
  text: string;
}

function observe(inventory: BlinkInventory): Observation[] {
  const networkName = new Map(inventory.networks.map((n) => [n.id, n.name]));
  const out: Observation[] = [];
  for (const cam of inventory.cameras) {
    const where = networkName.get(cam.networkId);
    const name = where ? `${cam.name} (${where})` : cam.name;
    if (cam.online !== undefined) {
      out.push({
        deviceId: `camera:${cam.id}`,
        cameraId: cam.id,
        kind: 'online',
        state: cam.online ? 'online' : 'offline',
        text: cam.online ? `✅ ${name} is back online.` : `⚠️ ${name} is offline.`,
      });
    }
    if (cam.battery !== undefined) {
      const low = cam.battery.toLowerCase() !== 'ok';
      out.push({
        deviceId: `camera:${cam.id}`,
        cameraId: cam.id,
        kind: 'battery',
        state: low ? 'low' : 'ok',
        text: low ? `🪫 ${name}: battery low.` : `🔋 ${name}: battery ok again.`,
      });
    }
  }
  for (const sm of inventory.syncModules) {
    if (sm.online === undefined) continue;
    const where = networkName.get(sm.networkId) ?? sm.name;
    out.push({
      deviceId: `sync:${sm.id}`,
      kind: 'online',
      state: sm.online ? 'online' : 'offline',
      text: sm.online ? `✅ The sync module of ${where} is back online.` : `⚠️ The sync module of ${where} is offline.`,
    });
  }
  return out;
}

/**
 * Compares the inventory with device_health, stores changes and returns the alerts to
 * queue. `targets(cameraId?)` gives the chats that want alerts (camera-level when given).
 */
export function healthChanges(input: {
  sessionId: string;
  inventory: BlinkInventory;
  store: AlertStore;
  targets: (cameraId: string | undefined) => readonly string[];
  now: number;
}): NewOutboxRow[] {
  const rows: NewOutboxRow[] = [];
  for (const o of observe(input.inventory)) {
    const before = input.store.healthState(input.sessionId, o.deviceId, o.kind);
    if (before === o.state) continue;
    input.store.setHealthState(input.sessionId, o.deviceId, o.kind, o.state, input.now);
    if (before === undefined) continue; // baseline
    for (const chat of input.targets(o.cameraId)) {
      rows.push({
        sessionId: input.sessionId,
        mediaId: `health:${o.deviceId}:${o.kind}:${o.state}:${input.now}`,
        chat,
        kind: 'health',
        payload: { text: o.text, ...(o.cameraId !== undefined ? { cameraId: o.cameraId } : {}) },
      });
    }
  }
  return rows;
}
