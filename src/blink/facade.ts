/**
 * A library facade at parity with blinkpy's public API as its README shows it
 * (blinkpy's README): start with credentials, a file or a prompt; 2FA through
 * sendAuthKey + setupPostVerify; save(path); throttled refresh; cameras and sync by name;
 * downloadVideos. Built on createBlinkService; the bot itself does not use this file.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { BlinkLoginError } from '../errors.js';
import { FacadeCamera, FacadeSync } from './facade-devices.js';
import { createBlinkService, type BlinkServiceDeps } from './service.js';
import type { BlinkAccount, BlinkService, BlinkSessionData, PendingLogin, Watermark } from './types.js';

export { FacadeCamera, FacadeSync } from './facade-devices.js';

const SavedFile = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  hardware_id: z.string().optional(),
  session: z
    .object({
      accountId: z.string(), tier: z.string(), hardwareId: z.string(), accessToken: z.string(),
      refreshToken: z.string(), accessExpiresAt: z.number(), clientId: z.string().optional(),
      userId: z.string().optional(), email: z.string().optional(),
    })
    .optional(),
  watermark: z.object({ updatedAt: z.string(), updatedAtMs: z.number() }).optional(),
});
type SavedFile = z.output<typeof SavedFile>;

export type Prompt = (question: 'username' | 'password' | '2fa') => Promise<string>;

export interface BlinkStartOptions {
  credentials?: SavedFile;
  credentialsFile?: string;
  prompt?: Prompt;
  /** Defaults: the real Blink hosts. */
  urls?: BlinkServiceDeps['urls'];
  clock?: Clock;
  log?: BlinkServiceDeps['log'];
  /** Service options (limits, time-outs, command polling) for tests. */
  service?: Partial<BlinkServiceDeps>;
  /** Minimum gap between two non-forced refreshes, ms. Default 30 s (blinkpy refresh_rate). */
  refreshRateMs?: number;
}

/** python-slugify's rule, enough for blinkpy file names. */
export function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

export class Blink {
  cameras: Record<string, FacadeCamera> = {};
  sync: Record<string, FacadeSync> = {};
  /** True while a 2FA code is awaited (call sendAuthKey, then setupPostVerify). */
  needsAuthKey = false;
  lastRefresh: number | undefined;
  private account: BlinkAccount | undefined;
  private pending: PendingLogin | undefined;
  private watermark: Watermark | undefined;
  private session: BlinkSessionData | undefined;

  private constructor(
    readonly service: BlinkService,
    private readonly clock: Clock,
    private readonly refreshRateMs: number,
    private readonly username: string | undefined,
  ) {}

  static async start(options: BlinkStartOptions): Promise<Blink> {
    const saved: SavedFile = options.credentialsFile
      ? SavedFile.parse(JSON.parse(await readFile(options.credentialsFile, 'utf8')))
      : options.credentials ?? {};
    const clock = options.clock ?? systemClock;
    const service = createBlinkService({
      urls: options.urls ?? { oauth: 'https://api.oauth.blink.com', restTemplate: 'https://rest-{tier}.immedia-semi.com' },
      clock,
      log: options.log ?? quietLog,
      ...options.service,
    });
    const username = saved.username ?? (options.prompt ? await options.prompt('username') : undefined);
    const blink = new Blink(service, clock, options.refreshRateMs ?? 30_000, username);
    blink.watermark = saved.watermark;
    if (saved.session) {
      blink.attach(saved.session);
      await blink.setupPostVerify();
      return blink;
    }
    const password = saved.password ?? (options.prompt ? await options.prompt('password') : undefined);
    if (!username || !password) throw new BlinkLoginError('bad-credentials', 'A username and password are needed');
    const step = await service.login(username, password, saved.hardware_id ? { hardwareId: saved.hardware_id } : {});
    if (step.kind === 'done') {
      blink.attach(step.session);
      await blink.setupPostVerify();
      return blink;
    }
    blink.pending = step.pending;
    blink.needsAuthKey = true;
    if (options.prompt) {
      await blink.sendAuthKey(await options.prompt('2fa'));
      await blink.setupPostVerify();
    }
    return blink;
  }

  private attach(session: BlinkSessionData): void {
    this.session = session;
    this.account = this.service.account(session, { save: (s) => void (this.session = s) });
  }

  /** Submits the 2FA code (blinkpy `auth.send_auth_key`). */
  async sendAuthKey(code: string): Promise<void> {
    if (!this.pending) throw new BlinkLoginError('failed', 'No login is waiting for a code');
    this.attach(await this.pending.submitCode(code));
    this.pending = undefined;
    this.needsAuthKey = false;
  }

  /** Discovers networks and cameras (blinkpy `setup_post_verify`); one request. */
  async setupPostVerify(): Promise<void> {
    const account = this.requireAccount();
    const inv = await account.inventory();
    const sync: Record<string, FacadeSync> = {};
    for (const n of inv.networks) sync[n.name] = new FacadeSync(account, n, inv.syncModules.find((s) => s.networkId === n.id));
    const cameras: Record<string, FacadeCamera> = {};
    for (const c of inv.cameras) {
      const owner = Object.values(sync).find((s) => s.networkId === c.networkId);
      const cam = new FacadeCamera(account, c, owner);
      cameras[c.name] = cam;
      if (owner) owner.cameras[c.name] = cam;
    }
    this.sync = sync;
    this.cameras = cameras;
    // Like blinkpy: the first refresh after start runs at once.
    this.lastRefresh = this.clock.now() - 1.05 * this.refreshRateMs;
  }

  /** Writes tokens and ids as JSON, mode 0600 (no password). */
  async save(path: string): Promise<void> {
    const session = this.requireAccount().session();
    const data: SavedFile = { username: this.username, hardware_id: session.hardwareId, session, watermark: this.watermark };
    await writeFile(path, JSON.stringify(data, null, 4), { mode: 0o600 });
    await chmod(path, 0o600);
  }

  /**
   * Updates cameras, networks and motion (homescreen + media/changed). A non-forced refresh
   * inside `refreshRateMs` of the last one makes no request and returns false.
   */
  async refresh(options: { force?: boolean } = {}): Promise<boolean> {
    const now = this.clock.now();
    if (!options.force && this.lastRefresh !== undefined && now < this.lastRefresh + this.refreshRateMs) return false;
    const account = this.requireAccount();
    const inv = await account.inventory();
    for (const n of inv.networks) {
      const s = this.sync[n.name];
      if (s) s.network = n;
    }
    const changes = await account.changesSince(this.watermark);
    const firstLook = this.watermark === undefined;
    this.watermark = changes.watermark;
    for (const cam of Object.values(this.cameras)) cam.motionDetected = false;
    const clips = [...changes.clips].sort((a, b) => a.createdAtMs - b.createdAtMs);
    for (const clip of clips) {
      const cam = Object.values(this.cameras).find((c) => c.data.id === clip.cameraId) ?? this.cameras[clip.cameraName];
      if (!cam || clip.deleted) continue;
      const isNew = !firstLook && (cam.lastClip === undefined || clip.createdAtMs > cam.lastClip.createdAtMs);
      if (isNew && this.lastRefresh !== undefined && clip.createdAtMs > this.lastRefresh) cam.motionDetected = cam.syncObject?.arm ?? true;
      if (!cam.lastClip || clip.createdAtMs >= cam.lastClip.createdAtMs) cam.lastClip = clip;
    }
    for (const data of inv.cameras) await this.cameras[data.name]?.update(data, options.force ?? false);
    this.lastRefresh = now;
    return true;
  }

  /**
   * Downloads cloud clips (blinkpy `download_videos`): pages 1..pages, names
   * `slug(camera-createdAt).mp4`, skips deleted clips and existing files.
   */
  async downloadVideos(options: { dir: string; since?: Date | string; pages?: number; cameras?: string | string[]; delayMs?: number }): Promise<string[]> {
    const account = this.requireAccount();
    const since = options.since === undefined ? new Date(this.lastRefresh ?? 0) : new Date(options.since);
    const wanted = options.cameras === undefined || options.cameras === 'all' ? undefined : new Set([options.cameras].flat());
    const written: string[] = [];
    for (let page = 1; page <= (options.pages ?? 9); page++) {
      const { clips } = await account.listClips({ since, page });
      if (clips.length === 0) break;
      for (const clip of clips) {
        if (clip.deleted || (wanted && !wanted.has(clip.cameraName))) continue;
        const path = join(options.dir, `${slugify(`${clip.cameraName}-${clip.createdAt}`)}.mp4`);
        if (existsSync(path)) continue;
        const dl = await account.openClip(clip);
        await pipeline(dl.stream, createWriteStream(path));
        written.push(path);
        await this.clock.sleep(options.delayMs ?? 1000);
      }
    }
    return written;
  }

  async close(): Promise<void> {
    await this.service.close();
  }

  private requireAccount(): BlinkAccount {
    if (!this.account) throw new BlinkLoginError('failed', 'Not logged in yet (2FA code pending?)');
    return this.account;
  }
}
