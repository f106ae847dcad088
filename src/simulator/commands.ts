import type { SimState } from './state.js';
import type { CommandKind, MediaSource, SimCommand } from './types.js';

/**
 * Asynchronous Blink commands (docs/blink-api.md, "Commands"). A command answers `complete: false` until it has been
 * polled `polls` times; its effect (arm, motion toggle, new thumbnail, new clip, USB upload)
 * lands at that moment, as the real cloud only reports the outcome once the device acked.
 */
export type CommandBook = ReturnType<typeof createCommandBook>;

export interface RecordOptions {
  /** A clip asked for with `…/clip` appears this long after the command completed. Default 2 s. */
  delayMs?: number;
  /** Its media source. Default 'snapshot'. */
  source?: MediaSource;
}

/**
 * Which commands a `failNextCommand` fault hits. Tests that run side by side against one
 * simulator name the kind and network, so their fault cannot take another test's command.
 */
export interface CommandFailure {
  kind?: CommandKind;
  networkId?: number;
}

export function createCommandBook(deps: { state: SimState; polls: number; record?: RecordOptions }) {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const { state } = deps;
  const commands = new Map<number, SimCommand>();
  let polls = deps.polls;
  /** Commands to fail on purpose, each matching the next command of its kind and network. */
  const failures: CommandFailure[] = [];
  let nextCloud = 9_000_001;
  let nextLocal = 9_100_001;

  function allocate(kind: CommandKind): number {
    const local = kind === 'ls_manifest' || kind === 'ls_upload';
    let id = local ? nextLocal : nextCloud;
    while (commands.has(id)) id++;
    if (local) nextLocal = id + 1;
    else nextCloud = id + 1;
    return id;
  }

  function takeFailure(input: { kind: CommandKind; networkId: number }): boolean {
    const i = failures.findIndex((f) => (f.kind === undefined || f.kind === input.kind) && (f.networkId === undefined || f.networkId === input.networkId));
    if (i < 0) return false;
    failures.splice(i, 1);
    return true;
  }

  /** Would the device/sync module actually do it? Offline hardware makes the command fail. */
  function reachable(cmd: SimCommand): boolean {
    const network = state.networks.get(cmd.networkId);
    const sm = network ? state.syncModuleOf(network) : undefined;
    if (sm && !sm.online) return false;
    const device = state.devices.get(cmd.targetId);
    if (device && device.accountId === cmd.accountId && !device.online) return false;
    return true;
  }

  function applyEffect(cmd: SimCommand): void {
    const now = state.now();
    const network = state.networks.get(cmd.networkId);
    const device = state.devices.get(cmd.targetId);
    switch (cmd.kind) {
      case 'arm':
      case 'disarm':
        if (network) {
          network.armed = cmd.kind === 'arm';
          network.updatedAt = now;
        }
        return;
      case 'enable':
      case 'disable':
        if (device) {
          device.enabled = cmd.kind === 'enable';
          device.updatedAt = now;
        }
        return;
      case 'thumbnail':
        if (device) {
          // Strictly newer, so the URL and the JPEG bytes always change (/snap waits for a changed thumbnail: docs/blink-api.md, "Commands").
          device.thumbnailTs = Math.max(device.thumbnailTs + 1, Math.floor(now / 1000));
          device.updatedAt = now;
        }
        return;
      case 'clip': {
        // The camera records first: the clip shows up in the list a little later.
        if (!device) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          state.addClip({ cameraId: device.id, source: deps.record?.source ?? 'snapshot' });
        }, deps.record?.delayMs ?? 2000);
        timer.unref();
        timers.add(timer);
        return;
      }
      case 'config_set':
        if (device && cmd.arg !== null) {
          device.illuminator = cmd.arg;
          device.updatedAt = now;
        }
        return;
      case 'ls_manifest': {
        const sm = state.syncModules.get(cmd.targetId);
        cmd.manifest = sm ? sm.usbClips.map((c) => ({ ...c })) : [];
        return;
      }
      case 'ls_upload': {
        const sm = state.syncModules.get(cmd.targetId);
        const clip = sm?.usbClips.find((c) => c.id === cmd.arg);
        if (clip) clip.uploaded = true;
        return;
      }
      case 'liveview':
        return;
    }
  }

  function finish(cmd: SimCommand): void {
    cmd.updatedAt = state.now();
    if (cmd.outcome === 'ok' && reachable(cmd)) {
      cmd.state = 'done';
      applyEffect(cmd);
    } else {
      cmd.state = 'failed';
    }
  }

  return {
    commands,
    /** An id for a sub-command that is only ever shown (arm's `config_lfr` children). */
    reserveId: (): number => allocate('arm'),
    create(input: { accountId: number; networkId: number; kind: CommandKind; targetId: number; arg?: number | null }): SimCommand {
      const now = state.now();
      const cmd: SimCommand = {
        id: allocate(input.kind),
        accountId: input.accountId,
        networkId: input.networkId,
        kind: input.kind,
        targetId: input.targetId,
        pollsLeft: polls,
        outcome: takeFailure(input) ? 'failed' : 'ok',
        state: 'running',
        createdAt: now,
        updatedAt: now,
        arg: input.arg ?? null,
        manifest: null,
      };
      commands.set(cmd.id, cmd);
      // Live view stays running until "done"; the others finish at once when polls is 0.
      if (cmd.pollsLeft <= 0 && cmd.kind !== 'liveview') finish(cmd);
      return cmd;
    },
    /** One status poll: counts down and completes the command on the last one. */
    poll(cmd: SimCommand): void {
      if (cmd.state !== 'running' || cmd.kind === 'liveview') return;
      cmd.pollsLeft--;
      if (cmd.pollsLeft <= 0) finish(cmd);
    },
    markDone(cmd: SimCommand): void {
      if (cmd.state === 'running') {
        cmd.state = 'done';
        cmd.updatedAt = state.now();
      }
    },
    setPolls(n: number): void {
      polls = Math.max(0, Math.floor(n));
    },
    /** The next `count` commands that match fail; an empty match takes any command. */
    failNext(count = 1, match: CommandFailure = {}): void {
      for (let i = 0; i < count; i++) failures.push(match);
    },
    /** Drops clips still being "recorded" (simulator shutdown). */
    close(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
