/**
 * State model of the Blink cloud simulator (docs/blink-api.md, "Simulator" notes per section). Plain data, mutated only
 * through `state.ts`, `commands.ts` and the control API. All times are epoch milliseconds.
 */

export type TwoFactorMode = 'none' | '412' | '202';
/** Where Blink sends the 2FA code; it names it in `tsv_methods`. */
export type TwoFactorChannel = 'sms' | 'email';
export type DeviceFamily = 'camera' | 'owl' | 'lotus';
export type MediaSource = 'pir' | 'button' | 'snapshot' | 'liveview';
export type BatteryState = 'ok' | 'low';

export interface SimAccount {
  id: number;
  email: string;
  password: string;
  tier: string;
  twoFactor: TwoFactorMode;
  twoFactorChannel: TwoFactorChannel;
  /** PIN sent by SMS or e-mail for the pending 2FA login, or null. */
  pin: string | null;
  userId: number;
  clientId: number;
  networkIds: number[];
  notifications: Record<string, boolean>;
  /** Media of this account, in insertion order (list routes sort on the fly). */
  media: SimMedia[];
  /** Entries served verbatim inside a list (injectRawEntry): devices or clips we do not model. */
  rawEntries: RawEntry[];
}

/** The lists a raw entry can be slipped into: homescreen lists, page 1 of media/changed, the USB manifest. */
export type RawList = 'networks' | 'sync_modules' | 'cameras' | 'owls' | 'doorbells' | 'media' | 'manifest';

export interface RawEntry {
  list: RawList;
  /** Served as is (JSON). */
  entry: unknown;
  /** Position in the list (clamped); default: last. */
  at?: number;
}

export interface SimNetwork {
  id: number;
  accountId: number;
  name: string;
  armed: boolean;
  createdAt: number;
  updatedAt: number;
  syncModuleId: number | null;
  deviceIds: number[];
}

export interface SimUsbClip {
  id: number;
  cameraId: number;
  createdAt: number;
  size: number;
  /** True once a clip-upload command for it completed: only then can it be downloaded. */
  uploaded: boolean;
}

export interface SimSyncModule {
  id: number;
  accountId: number;
  networkId: number;
  name: string;
  serial: string;
  online: boolean;
  localStorage: boolean;
  manifestId: string;
  usbClips: SimUsbClip[];
  createdAt: number;
}

export interface SimDevice {
  id: number;
  accountId: number;
  networkId: number;
  family: DeviceFamily;
  type: string;
  name: string;
  serial: string;
  fwVersion: string;
  enabled: boolean;
  /** Epoch seconds of the current thumbnail; embedded in its URL and its JPEG bytes. */
  thumbnailTs: number;
  /** Fahrenheit, like Blink. */
  temperature: number;
  battery: BatteryState;
  /** Bars 1..5. */
  wifi: number;
  online: boolean;
  illuminator: number;
  createdAt: number;
  updatedAt: number;
}

export interface SimMedia {
  id: number;
  accountId: number;
  deviceId: number;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
  source: MediaSource;
  partial: boolean;
  watched: boolean;
  size: number;
  /** media/changed lists it with the legacy v2 paths (thumbnail without extension). */
  legacyPaths: boolean;
}

export const COMMAND_KINDS = ['arm', 'disarm', 'enable', 'disable', 'thumbnail', 'clip', 'liveview', 'config_set', 'ls_manifest', 'ls_upload'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

export interface SimCommand {
  id: number;
  accountId: number;
  networkId: number;
  kind: CommandKind;
  /** Device, sync module or network id, by kind. */
  targetId: number;
  /** Polls still needed before `complete: true`. */
  pollsLeft: number;
  outcome: 'ok' | 'failed';
  state: 'running' | 'done' | 'failed';
  createdAt: number;
  updatedAt: number;
  /** For ls_upload: the USB clip id. For config_set: the new illuminator value. */
  arg: number | null;
  /** For ls_manifest: the clip list captured when the command completed. */
  manifest: SimUsbClip[] | null;
}

// ---- Seeds: what tests and the demo hand to the simulator. Ids are generated when omitted.

export interface DeviceSeed {
  id?: number;
  family: DeviceFamily;
  type?: string;
  name: string;
  serial?: string;
  fwVersion?: string;
  enabled?: boolean;
  thumbnailTs?: number;
  temperature?: number;
  battery?: BatteryState;
  wifi?: number;
  online?: boolean;
}

interface UsbClipSeed {
  id?: number;
  /** Camera id, or a camera name of the same account. */
  camera: number | string;
  createdAt: number;
  size?: number;
}

interface SyncModuleSeed {
  id?: number;
  name: string;
  serial?: string;
  online?: boolean;
  localStorage?: boolean;
  manifestId?: string;
  usbClips?: UsbClipSeed[];
}

export interface NetworkSeed {
  id?: number;
  name: string;
  armed?: boolean;
  syncModule?: SyncModuleSeed | null;
  devices?: DeviceSeed[];
}

interface MediaSeed {
  id?: number;
  /** Camera id, or a camera name of the same account. */
  camera: number | string;
  createdAt: number;
  updatedAt?: number;
  deleted?: boolean;
  source?: MediaSource;
  partial?: boolean;
  watched?: boolean;
  size?: number;
}

export interface AccountSeed {
  id?: number;
  email: string;
  password: string;
  tier?: string;
  twoFactor?: TwoFactorMode;
  /** Default 'sms'. */
  twoFactorChannel?: TwoFactorChannel;
  userId?: number;
  clientId?: number;
  /** Omitted: one network "Home" with a sync module and a camera "Front Door". `[]`: none. */
  networks?: NetworkSeed[];
  media?: MediaSeed[];
  notifications?: Record<string, boolean>;
}

export interface SimSeed {
  accounts: AccountSeed[];
}

export interface AddedAccount {
  accountId: number;
  userId: number;
  clientId: number;
  networkIds: number[];
  syncModuleIds: number[];
  deviceIds: number[];
}
