/**
 * The Blink core's public surface: domain types (camelCase, ids as strings) and the
 * interfaces the rest of the bot codes against. Nothing here knows about chats or SQLite.
 * Wire formats stay inside src/blink (schemas.ts); see docs/blink-api.md.
 */
import type { Readable } from 'node:stream';

export type CameraFamily = 'camera' | 'owl' | 'doorbell';

/** What a device can do, derived from its family and type (unknown types keep what they expose). */
export interface CameraCapabilities {
  motionToggle: boolean;
  snap: boolean;
  recordClip: boolean;
  battery: boolean;
  temperature: boolean;
  /** Doorbells: clips whose source is the button are rings. */
  ring: boolean;
}

export interface BlinkNetwork {
  id: string;
  name: string;
  /** Undefined when Blink did not say. */
  armed: boolean | undefined;
  timeZone?: string;
}

interface BlinkSyncModule {
  id: string;
  networkId: string;
  name: string;
  online: boolean | undefined;
  serial?: string;
  /** True when the USB local storage is usable ("active"). */
  localStorageActive: boolean;
}

export interface BlinkCamera {
  id: string;
  networkId: string;
  name: string;
  family: CameraFamily;
  /** Blink's product type string: catalina, owl, lotus, sedona, hawk, ... */
  type: string;
  capabilities: CameraCapabilities;
  motionEnabled?: boolean;
  online?: boolean;
  /** 'ok' | 'low' as Blink reports it. */
  battery?: string;
  /** Battery bars 1-3 where reported. */
  batteryLevel?: number;
  temperatureF?: number;
  /** Wi-Fi signal: dBm (negative) or bars (1-5), as Blink reports it. */
  wifiStrength?: number;
  serial?: string;
  firmware?: string;
  /** Opaque thumbnail reference (path or timestamp); changes when a new picture is taken. */
  thumbnail?: string;
  /** When the current thumbnail was taken (epoch ms), when its reference tells. */
  thumbnailAtMs?: number;
}

export interface BlinkInventory {
  accountId: string;
  networks: BlinkNetwork[];
  syncModules: BlinkSyncModule[];
  cameras: BlinkCamera[];
}

type ClipSource = 'pir' | 'button' | 'snapshot' | 'liveview' | (string & {});

/** One cloud clip (an entry of media/changed). */
export interface BlinkClip {
  /** Blink's media id. */
  id: string;
  cameraId: string;
  cameraName: string;
  networkId: string;
  networkName?: string;
  /** Blink's own timestamp string, kept for watermarks (server time, never ours). */
  createdAt: string;
  createdAtMs: number;
  updatedAt: string;
  updatedAtMs: number;
  deleted: boolean;
  partial: boolean;
  source: ClipSource;
  /** Product type of the device that recorded it (catalina, owl, lotus...). */
  deviceType?: string;
  mediaPath: string;
  thumbnailPath?: string;
  timeZone?: string;
}

/** One clip on a sync module's USB stick (manifest entry). */
export interface LocalClip {
  id: string;
  manifestId: string;
  networkId: string;
  syncModuleId: string;
  /** Camera name as the manifest spells it (no spaces or punctuation). */
  manifestCameraName: string;
  /** Resolved against the inventory when possible. */
  cameraId?: string;
  cameraName?: string;
  createdAt: string;
  createdAtMs: number;
  sizeBytes?: number;
}

/**
 * A media body being downloaded. The stream is one-shot: to retry, open it again.
 * The signature (MP4 / JPEG) and content type were checked before this resolves.
 */
export interface MediaDownload {
  stream: Readable;
  contentType: string;
  /** From Content-Length when Blink sent it. */
  sizeBytes: number | undefined;
}

/** Where the poller stands for one account: Blink's own timestamps only. */
export interface Watermark {
  /** Newest `updated_at` seen, as Blink's string. */
  updatedAt: string;
  updatedAtMs: number;
}

export interface ChangeCheck {
  /** Every clip Blink reports as created or changed since the watermark minus the overlap. */
  clips: BlinkClip[];
  /** Advance to this once the clips are safely stored. */
  watermark: Watermark;
  /** Requests this check cost (1 when nothing changed). */
  requests: number;
  /**
   * Blink's own time when it answered the first page (its Date header, epoch ms, 1 s
   * resolution); undefined when the header was missing or unreadable. Lets the alerts set a
   * baseline and judge clip ages without our clock (F14).
   */
  serverTime?: number;
}

/** Tokens and identity of one logged-in Blink account. */
export interface BlinkSessionData {
  accountId: string;
  tier: string;
  hardwareId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  clientId?: string;
  userId?: string;
  email?: string;
}

/**
 * Persists rotated tokens. `save` is awaited before a new access token is used, so a crash
 * never leaves us holding a refresh token that only lived in memory.
 */
export interface SessionStore {
  save(session: BlinkSessionData): Promise<void> | void;
}

/** Who waits for the request: a user's command, an alert's media, or background polling. */
export type RequestPriority = 'user' | 'alert' | 'background';

export interface CallOptions {
  signal?: AbortSignal;
  /** User commands go before alerts, alerts before background reads. Default 'user'. */
  priority?: RequestPriority;
}

/** Progress of slow multi-step operations (local storage, snap), for "working…" edits. */
export type ProgressListener = (stage: string) => void;

/** A few seconds of live view as an MP4 (H.264, `moov` first). */
export interface LiveClip {
  mp4: Uint8Array;
  /** Seconds of video in the MP4. */
  durationSeconds: number;
  width: number;
  height: number;
}

export interface LiveRecordOptions extends CallOptions {
  /** Seconds of video to record. */
  seconds: number;
  /** Seconds of video recorded so far, once per whole second. */
  onSeconds?: (seconds: number) => void;
}

/** One linked Blink account. All calls are rate-limited and refresh tokens by themselves. */
export interface BlinkAccount {
  readonly accountId: string;
  /** Current session (after any refresh). */
  session(): BlinkSessionData;

  /** Networks, sync modules and cameras with their sensors (battery, temperature, wifi, online). */
  inventory(options?: CallOptions & { detailed?: boolean }): Promise<BlinkInventory>;
  /** Arms or disarms; resolves with the state Blink reports once the command completed. */
  setArmed(networkId: string, armed: boolean, options?: CallOptions): Promise<{ armed: boolean }>;
  /** Motion detection on/off for one camera of any family; resolves with the state Blink reports. */
  setMotion(camera: BlinkCamera, enabled: boolean, options?: CallOptions): Promise<{ enabled: boolean }>;
  /** Takes a new picture and returns it (not the previous thumbnail). */
  snap(camera: BlinkCamera, options?: CallOptions & { onProgress?: ProgressListener }): Promise<MediaDownload>;
  /** Current thumbnail of a camera. */
  openThumbnail(camera: BlinkCamera, options?: CallOptions): Promise<MediaDownload>;
  /** Asks the camera to record a clip now. */
  recordClip(camera: BlinkCamera, options?: CallOptions): Promise<void>;
  /**
   * Records `seconds` of the camera's live view as MP4. Always ends Blink's live view command
   * and closes the stream; a stream that breaks off rejects (BlinkLiveError), never a partial clip.
   */
  liveView(camera: BlinkCamera, options: LiveRecordOptions): Promise<LiveClip>;

  /** Cloud clips, newest first, one media/changed page (1-based). */
  listClips(options?: CallOptions & { since?: Date; page?: number }): Promise<{ clips: BlinkClip[]; hasMore: boolean }>;
  /** Finds one clip by media id in the recent pages, or undefined. */
  findClip(mediaId: string, options?: CallOptions): Promise<BlinkClip | undefined>;
  /** "Anything new since W?" in one request when nothing changed. Without W: the baseline. */
  changesSince(watermark: Watermark | undefined, options?: CallOptions): Promise<ChangeCheck>;
  openClip(clip: Pick<BlinkClip, 'id' | 'mediaPath'>, options?: CallOptions): Promise<MediaDownload>;
  openClipThumbnail(clip: Pick<BlinkClip, 'id' | 'thumbnailPath'>, options?: CallOptions): Promise<MediaDownload>;

  /** Clips on the sync module's USB storage of one network (manifest flow). */
  localClips(networkId: string, options?: CallOptions & { onProgress?: ProgressListener }): Promise<LocalClip[]>;
  /** Asks the sync module to upload one local clip, then downloads it. */
  openLocalClip(networkId: string, clipId: string, options?: CallOptions & { onProgress?: ProgressListener }): Promise<MediaDownload>;

  notificationFlags(options?: CallOptions): Promise<Record<string, boolean>>;
  setNotificationFlags(flags: Record<string, boolean>, options?: CallOptions): Promise<void>;

  /** Best-effort logout at Blink; local deletion is the caller's job. */
  logout(options?: CallOptions): Promise<void>;
}

/** A login waiting for the 2FA code Blink sent by mail or SMS. */
export interface PendingLogin {
  /** Epoch ms after which submitCode rejects with BlinkLoginError('expired'). */
  readonly expiresAt: number;
  /** Where Blink said it sent the code (two-factor-channel.ts); absent when it did not say. */
  readonly codeSentVia?: 'sms' | 'email';
  /**
   * One attempt per call. A wrong code rejects with BlinkLoginError('bad-code') and the
   * attempt stays usable until it expires; it never triggers a new code from Blink.
   */
  submitCode(code: string, options?: CallOptions): Promise<BlinkSessionData>;
}

export type LoginStep = { kind: 'done'; session: BlinkSessionData } | { kind: 'awaiting-code'; pending: PendingLogin };

export interface BlinkUrls {
  /** OAuth host, e.g. https://api.oauth.blink.com */
  oauth: string;
  /** REST template with optional `{tier}`, e.g. https://rest-{tier}.immedia-semi.com */
  restTemplate: string;
}

/** The Blink core as the rest of the bot sees it. */
export interface BlinkService {
  /** Starts a login. The password lives only for the duration of this call. */
  login(email: string, password: string, options?: CallOptions & { hardwareId?: string }): Promise<LoginStep>;
  /** A client for one stored session; `store.save` receives every rotated token. */
  account(session: BlinkSessionData, store: SessionStore): BlinkAccount;
  /** Drops the per-account limiter and connection state (logout, needs-login). */
  release(accountId: string): void;
  /** Closes the HTTP pool. */
  close(): Promise<void>;
}
