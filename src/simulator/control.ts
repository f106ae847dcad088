import type { AuthStore, IssuedTokens } from './auth-store.js';
import type { CommandBook, CommandFailure } from './commands.js';
import type { FaultBook, FaultSpec } from './faults.js';
import type { MediaLibrary } from './media-library.js';
import type { LoggedRequest, RequestLog } from './request-log.js';
import type { NewClip, SimState } from './state.js';
import type { AccountSeed, AddedAccount, BatteryState, RawEntry, TwoFactorChannel, TwoFactorMode } from './types.js';

interface CameraStatePatch {
  online?: boolean;
  battery?: BatteryState;
  temperature?: number;
  wifi?: number;
  enabled?: boolean;
  name?: string;
  thumbnailTs?: number;
}

/** Everything a test, benchmark or demo can do to the simulated cloud. */
export interface SimControl {
  addAccount(seed: AccountSeed): AddedAccount;
  /** 2FA on or off; `channel` (default: unchanged) is where Blink says it sent the code. */
  setTwoFactor(email: string, mode: TwoFactorMode, channel?: TwoFactorChannel): void;
  /** The PIN pending for that account's 2FA login, or null. */
  currentPin(email: string): string | null;
  lastIssuedPin(): string | null;
  /** Every hardware_id clients sent (authorize, code exchange, refresh), oldest first. */
  seenHardwareIds(): readonly string[];
  /** Tokens without the OAuth dance (benchmarks with many accounts). */
  issueTokens(accountId: number): IssuedTokens;
  addClip(clip: NewClip): number;
  deleteClip(mediaId: number): void;
  /** Blink's cloud retention: clips created before `ms` (epoch) are gone for good. Returns how many. */
  purgeClipsCreatedBefore(ms: number): number;
  addUsbClip(clip: { cameraId: number; syncModuleId?: number; createdAt?: number; size?: number }): number;
  setCameraState(cameraId: number, patch: CameraStatePatch): void;
  setSyncModuleOnline(syncModuleId: number, online: boolean): void;
  setLocalStorage(syncModuleId: number, active: boolean): void;
  setArmed(networkId: number, armed: boolean): void;
  expireAccessTokens(accountId?: number): number;
  revokeRefreshTokens(accountId?: number): number;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  /**
   * Serves `entry` verbatim inside a list of the account (default: the first one): a device of
   * a kind the bot does not model, an entry with a field missing. Stays until cleared.
   */
  injectRawEntry(raw: RawEntry & { accountId?: number }): void;
  clearRawEntries(accountId?: number): void;
  requestCounts(): Record<string, number> & { total: number };
  requestLog(): readonly LoggedRequest[];
  resetCounts(): void;
  setCommandPolls(n: number): void;
  /** The next `count` commands (default 1) that match fail, as Blink reports a device that did not act. */
  failNextCommand(count?: number, match?: CommandFailure): void;
  setAuthorizeRedirect(redirect: boolean): void;
  /** true: a good 2FA code is answered with a redirect to the authorize step, as newer Blink does. */
  setVerifyRedirect(redirect: boolean): void;
  /** Moves the simulator clock forward (on top of the injected `now`). */
  advanceClock(ms: number): void;
  /** The JPEG served for camera `cameraId`'s thumbnail taken at `ts` (epoch seconds). */
  expectedThumbnailBytes(cameraId: number, ts: number): Buffer;
  /** The JPEG served as the thumbnail of cloud clip `mediaId`. */
  expectedClipThumbnailBytes(mediaId: number): Buffer;
  /** The bytes served for a cloud or local-storage clip: its MP4, padded to its declared size. */
  expectedClipBytes(clipId: number): Buffer;
}

export interface ControlDeps {
  state: SimState;
  auth: AuthStore;
  commands: CommandBook;
  faults: FaultBook;
  log: RequestLog;
  media: MediaLibrary;
  setAuthorizeRedirect: (redirect: boolean) => void;
  setVerifyRedirect: (redirect: boolean) => void;
  advanceClock: (ms: number) => void;
}

export function createControl(deps: ControlDeps): SimControl {
  const { state, auth } = deps;
  const accountByEmail = (email: string) => {
    const account = state.accountByEmail(email);
    if (!account) throw new Error(`unknown account ${email}`);
    return account;
  };
  const deviceById = (id: number) => {
    const device = state.devices.get(id);
    if (!device) throw new Error(`unknown camera ${id}`);
    return device;
  };
  const moduleById = (id: number) => {
    const sm = state.syncModules.get(id);
    if (!sm) throw new Error(`unknown sync module ${id}`);
    return sm;
  };

  return {
    addAccount: (seed) => state.addAccount(seed),
    setTwoFactor(email, mode, channel) {
      const account = accountByEmail(email);
      account.twoFactor = mode;
      if (channel !== undefined) account.twoFactorChannel = channel;
    },
    currentPin: (email) => accountByEmail(email).pin,
    lastIssuedPin: () => auth.lastIssuedPin(),
    seenHardwareIds: () => auth.hardwareIds(),
    issueTokens(accountId) {
      if (!state.accounts.has(accountId)) throw new Error(`unknown account ${accountId}`);
      return auth.issue(accountId);
    },
    addClip(clip) {
      const id = state.addClip(clip);
      // The camera records the clip now: encode it here, not when the first download asks.
      deps.media.clip(id);
      return id;
    },
    deleteClip(mediaId) {
      const item = state.media.get(mediaId);
      if (!item) throw new Error(`unknown media ${mediaId}`);
      item.deleted = true;
      item.updatedAt = state.now();
    },
    purgeClipsCreatedBefore: (ms) => state.purgeClipsCreatedBefore(ms),
    addUsbClip(clip) {
      const id = state.addUsbClip(clip);
      deps.media.clip(id);
      return id;
    },
    setCameraState(cameraId, patch) {
      const device = deviceById(cameraId);
      Object.assign(device, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      device.updatedAt = state.now();
    },
    setSyncModuleOnline(syncModuleId, online) {
      moduleById(syncModuleId).online = online;
    },
    setLocalStorage(syncModuleId, active) {
      moduleById(syncModuleId).localStorage = active;
    },
    setArmed(networkId, armed) {
      const network = state.networks.get(networkId);
      if (!network) throw new Error(`unknown network ${networkId}`);
      network.armed = armed;
      network.updatedAt = state.now();
    },
    expireAccessTokens: (accountId) => auth.expireAccess(accountId),
    revokeRefreshTokens: (accountId) => auth.revokeRefresh(accountId),
    injectFault: (spec) => deps.faults.inject(spec),
    injectRawEntry({ accountId, ...raw }) {
      const account = accountId === undefined ? state.accounts.values().next().value : state.accounts.get(accountId);
      if (!account) throw new Error(`unknown account ${accountId ?? '(none yet)'}`);
      account.rawEntries.push(raw);
    },
    clearRawEntries(accountId) {
      for (const account of state.accounts.values()) if (accountId === undefined || account.id === accountId) account.rawEntries = [];
    },
    clearFaults: () => deps.faults.clear(),
    requestCounts: () => deps.log.counts(),
    requestLog: () => deps.log.entries(),
    resetCounts: () => deps.log.reset(),
    setCommandPolls: (n) => deps.commands.setPolls(n),
    failNextCommand: (count, match) => deps.commands.failNext(count, match),
    setAuthorizeRedirect: (redirect) => deps.setAuthorizeRedirect(redirect),
    setVerifyRedirect: (redirect) => deps.setVerifyRedirect(redirect),
    advanceClock: (ms) => deps.advanceClock(ms),
    expectedThumbnailBytes: (cameraId, ts) => deps.media.thumbnail(deviceById(cameraId).id, ts),
    expectedClipThumbnailBytes(mediaId) {
      const bytes = deps.media.clipThumbnail(mediaId);
      if (!bytes) throw new Error(`unknown media ${mediaId}`);
      return bytes;
    },
    expectedClipBytes(clipId) {
      const body = deps.media.clip(clipId);
      if (!body) throw new Error(`unknown clip ${clipId}`);
      return Buffer.concat([...body.chunks()]);
    },
  };
}
