/**
 * blinkpy-style device objects for the library facade: `blink.cameras[name]` and
 * `blink.sync[name]`, with attributes refreshed by `Blink.refresh()`.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { BlinkAccount, BlinkCamera, BlinkClip, BlinkNetwork, BlinkSyncModule, LocalClip } from './types.js';

async function toBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

export class FacadeCamera {
  /** Bytes of the last thumbnail fetched (snapPicture or refresh). */
  imageFromCache: Buffer | undefined;
  /** Bytes of the last clip fetched by refresh. */
  videoFromCache: Buffer | undefined;
  motionDetected = false;
  lastClip: BlinkClip | undefined;

  constructor(
    private readonly account: BlinkAccount,
    public data: BlinkCamera,
    public syncObject: FacadeSync | undefined,
  ) {}

  get name(): string {
    return this.data.name;
  }

  /** Motion detection for cameras and doorbells; the network's armed state for Minis (docs/blink-api.md, "Devices"). */
  get arm(): boolean | undefined {
    return this.data.family === 'owl' ? this.syncObject?.arm : this.data.motionEnabled;
  }

  get attributes(): Record<string, unknown> {
    const d = this.data;
    const f = d.temperatureF;
    return {
      name: d.name,
      camera_id: d.id,
      serial: d.serial,
      version: d.firmware,
      motion_enabled: d.motionEnabled,
      battery: d.battery,
      battery_level: d.batteryLevel,
      temperature: f,
      temperature_c: f === undefined ? undefined : Math.round(((f - 32) * 5) / 9 * 10) / 10,
      wifi_strength: d.wifiStrength,
      type: d.type,
      family: d.family,
      thumbnail: d.thumbnail,
      video: this.lastClip?.mediaPath,
      motion_detected: this.motionDetected,
      last_record: this.lastClip?.createdAt,
      network_id: d.networkId,
      sync_module: this.syncObject?.name,
    };
  }

  /** Takes a new picture; its bytes land in imageFromCache. */
  async snapPicture(): Promise<void> {
    this.imageFromCache = await toBuffer((await this.account.snap(this.data)).stream);
    const fresh = (await this.account.inventory()).cameras.find((c) => c.id === this.data.id && c.family === this.data.family);
    if (fresh) this.data = fresh;
  }

  /** Motion detection on or off (blinkpy `camera.async_arm`). */
  async setArm(enabled: boolean): Promise<boolean> {
    const { enabled: now } = await this.account.setMotion(this.data, enabled);
    this.data = { ...this.data, motionEnabled: now };
    return now;
  }

  async imageToFile(path: string): Promise<void> {
    if (this.imageFromCache) {
      await writeFile(path, this.imageFromCache, { mode: 0o644 });
      return;
    }
    const dl = await this.account.openThumbnail(this.data);
    await pipeline(dl.stream, createWriteStream(path));
  }

  async videoToFile(path: string): Promise<void> {
    if (this.videoFromCache) {
      await writeFile(path, this.videoFromCache);
      return;
    }
    if (!this.lastClip) throw new Error(`No clip recorded for ${this.name}`);
    const dl = await this.account.openClip(this.lastClip);
    await pipeline(dl.stream, createWriteStream(path));
  }

  /** Refresh step: fetch the thumbnail when it changed (or force), the clip on new motion. */
  async update(data: BlinkCamera, force: boolean): Promise<void> {
    const changed = data.thumbnail !== this.data.thumbnail;
    this.data = data;
    if (data.thumbnail && (changed || force || !this.imageFromCache)) {
      this.imageFromCache = await toBuffer((await this.account.openThumbnail(data)).stream);
    }
    if (this.lastClip && !this.lastClip.deleted && (force || this.motionDetected || !this.videoFromCache)) {
      this.videoFromCache = await toBuffer((await this.account.openClip(this.lastClip)).stream);
    }
  }
}

export class FacadeSync {
  cameras: Record<string, FacadeCamera> = {};

  constructor(
    private readonly account: BlinkAccount,
    public network: BlinkNetwork,
    public module: BlinkSyncModule | undefined,
  ) {}

  get name(): string {
    return this.network.name;
  }
  get id(): string {
    return this.module?.id ?? this.network.id;
  }
  get networkId(): string {
    return this.network.id;
  }
  get arm(): boolean | undefined {
    return this.network.armed;
  }
  get online(): boolean | undefined {
    return this.module?.online;
  }
  get localStorage(): boolean {
    return this.module?.localStorageActive ?? false;
  }

  /** Arms or disarms the network (blinkpy `sync.async_arm`); returns what Blink reports. */
  async setArm(armed: boolean): Promise<boolean> {
    const { armed: now } = await this.account.setArmed(this.network.id, armed);
    this.network = { ...this.network, armed: now };
    return now;
  }

  /** Clips on the USB stick (manifest flow). */
  localClips(): Promise<LocalClip[]> {
    return this.account.localClips(this.network.id);
  }

  async downloadLocalClip(clip: Pick<LocalClip, 'id'>, path: string): Promise<void> {
    const dl = await this.account.openLocalClip(this.network.id, clip.id);
    await pipeline(dl.stream, createWriteStream(path));
  }
}
