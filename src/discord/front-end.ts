/**
 * The Discord front end: a discord.js 14 client that turns interactions into core events and
 * Outcomes into replies, plus the ChatSender for alerts. Rendering and mapping only; every
 * decision (allowlist, sessions, what to answer) is the dispatcher's.
 *
 * Intents: Guilds only. Slash commands, buttons, modals and autocomplete arrive as
 * INTERACTION_CREATE in guilds and DMs alike, which no intent gates; the bot reads no
 * messages, so it needs neither DirectMessages nor MessageContent.
 */
import {
  Client,
  DiscordAPIError,
  Routes,
  DiscordjsError,
  Events,
  GatewayIntentBits,
  WorkerShardingStrategy,
  type Interaction,
  type RESTOptions,
} from 'discord.js';
import { settleWithin, systemClock, waitAtMost, type Clock } from '../clock.js';
import type { ChatContext, Dispatcher } from '../core/inbound.js';
import type { FatalHandler, FrontEnd } from '../core/front-end.js';
import type { Logger } from '../log.js';
import { createActionStore } from '../core/action-store.js';
import { createBoundedMap } from '../core/bounded-map.js';
import type { AutocompleteSource } from './autocomplete.js';
import { describeDiscordError } from './delivery-error.js';
import { createInteractionHandler } from './interactions.js';
import { botDmChannel } from './map-interaction.js';
import { createMemoryRegistrationStore, registerCommandsIfChanged, type RegistrationStore } from './registration.js';
import { createRestRequest, type RestRequest } from './rest-request.js';
import { createDiscordSender } from './sender.js';

/**
 * Our request function (Node's fetch, and streamed uploads) as @discordjs/rest's. The cast
 * only bridges two typings of the same Fetch API (lib.dom vs @discordjs/rest's undici 6).
 */
const asRestRequest = (request: RestRequest): RESTOptions['makeRequest'] => request as unknown as RESTOptions['makeRequest'];

export interface DiscordFrontEndOptions {
  /** DISCORD_TOKEN. */
  token: string;
  /** DISCORD_APPLICATION_ID. */
  applicationId: string;
  /** DISCORD_API_ROOT, e.g. https://discord.com/api; the gateway URL comes from its /gateway/bot. */
  apiRoot: string;
  dispatcher: Dispatcher;
  /** Slash-command JSON from the registry (`discordSlashCommands()`). */
  slashCommands: readonly unknown[];
  /** Choices for camera, network and clip options. Should return [] for chats that are not allowlisted. */
  autocomplete: AutocompleteSource;
  /** Whether a chat is allowlisted (the login form and unknown buttons answer before the dispatcher). */
  chatAllowed?: (chat: ChatContext) => boolean;
  /** DISCORD_UPLOAD_LIMIT_MB in bytes, for unprompted posts (replies use the interaction's limit). */
  uploadLimitBytes: number;
  log: Logger;
  clock?: Clock;
  /** Longest stop() waits for the gateway to close; default 5 s (shutdown must not hang on Discord). */
  stopTimeoutMs?: number;
  /** How long stop() lets running commands finish before aborting them (F29); default 10 s. */
  drainMs?: number;
  /** Discord refused the bot at start (bad token, missing intent); the app decides what follows. */
  onFatal?: FatalHandler;
  /** First wait after Discord could not be reached at start, doubled each try up to 60 s; default 1000 ms. */
  connectRetryBaseMs?: number;
  /** @discordjs/rest's per-request timeout (default its 15 s); uploads are exempt (src/discord/rest-request.ts). */
  restTimeoutMs?: number;
  /** Hash of the last registered commands; default in memory (registers at every start). */
  registrationStore?: RegistrationStore;
}

/**
 * The FrontEnd lifecycle (core/front-end.ts). `start` logs in (retrying while Discord cannot
 * be reached), waits for the gateway to be ready and registers commands if they changed; a
 * refused token rejects it and goes to `onFatal`. `stop` takes no new interactions, lets
 * running ones finish for `drainMs`, then aborts them (a /live ends its command and sends
 * nothing more), and closes the gateway within `stopTimeoutMs` even if Discord is unreachable.
 * `connected` is true while the gateway session is up (false while it reconnects).
 */
export type DiscordFrontEnd = FrontEnd;

export function createDiscordFrontEnd(options: DiscordFrontEndOptions): DiscordFrontEnd {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const registrationStore = options.registrationStore ?? createMemoryRegistrationStore();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // The default for everything discord.js sends; each call sets it explicitly as well.
    allowedMentions: { parse: [] },
    // Rate limits stay on: @discordjs/rest waits out Retry-After (global and per route).
    // Node's fetch, not @discordjs/rest's bundled undici 6 `request`: that one dispatches
    // through the process-wide undici dispatcher, which our undici 7 (Blink client) installs
    // when it loads first, and undici 7 cannot encode Node's FormData. Attachments never
    // become FormData: they go as a streamed body through our undici 7 (src/discord/rest-request.ts).
    rest: {
      api: options.apiRoot,
      ...(options.restTimeoutMs !== undefined ? { timeout: options.restTimeoutMs } : {}),
      makeRequest: asRestRequest(
        createRestRequest({
          fetch,
          onCut: (attempt, err) => log.warn({ attempt, err: describeDiscordError(err) }, 'Discord upload cut mid-way; sending it again'),
        }),
      ),
    },
    // The gateway runs in a worker thread: destroy() terminates it, which ends a reconnect
    // loop for sure. In-process shards that lost their gateway retry every 500 ms, and a
    // destroy() landing between two tries is a no-op, so the loop outlived shutdown.
    ws: { buildStrategy: (manager) => new WorkerShardingStrategy(manager, { shardsPerWorker: 'all' }) },
  });
  const actions = createActionStore({ clock });
  // Bounded like every table outsiders can grow: a DM channel is re-opened on demand anyway.
  const dmChannels = createBoundedMap<string, string>({ clock, maxEntries: 10_000, ttlMs: 24 * 60 * 60 * 1000 });
  // Aborted by stop() once the drain time is over: commands in flight stop, their progress
  // edits and replies are not sent (the same rule as Telegram's shutdown signal).
  const shutdown = new AbortController();
  const running = new Set<Promise<void>>();
  let ready = false;
  let stopped = false;
  let stopping: Promise<void> | undefined;

  const handle = createInteractionHandler({
    dispatcher: options.dispatcher,
    autocomplete: options.autocomplete,
    ...(options.chatAllowed ? { chatAllowed: options.chatAllowed } : {}),
    actions,
    rest: client.rest,
    log,
    clock,
    signal: () => shutdown.signal,
  });

  const onInteraction = (interaction: Interaction): void => {
    // Remember DM channels so alerts to 'dc:<user>' need no extra request; only the bot's own
    // DM counts (a user-installed command in someone else's DM is not the user's DM with us).
    const dm = botDmChannel(interaction);
    if (dm !== undefined) dmChannels.set(interaction.user.id, dm);
    if (stopped) {
      log.debug({ interaction: interaction.id }, 'Discord interaction during shutdown; not handled');
      return;
    }
    // The handler has its own boundary; this catch only guards against a bug in it.
    const work = handle(interaction).catch((err: unknown) => log.error({ err: describeDiscordError(err) }, 'Discord interaction handler threw'));
    running.add(work);
    void work.finally(() => running.delete(work));
  };

  client.on(Events.InteractionCreate, onInteraction);
  const setReady = (value: boolean) => (): void => {
    ready = value;
  };
  client.on(Events.ShardReady, setReady(true));
  client.on(Events.ShardResume, setReady(true));
  client.on(Events.ShardDisconnect, setReady(false));
  client.on(Events.ShardReconnecting, setReady(false));
  client.on(Events.ShardError, (err) => log.warn({ err: describeDiscordError(err) }, 'Discord gateway error; reconnecting'));
  client.on(Events.Error, (err) => log.error({ err: describeDiscordError(err) }, 'Discord client error'));
  client.rest.on('rateLimited', (info) => log.debug({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'Discord rate limit; waiting'));

  const sender = createDiscordSender({ rest: client.rest, actions, log, uploadLimitBytes: options.uploadLimitBytes, dmChannels });

  /** destroy() raced against a deadline: a gateway that never answers the close must not hold shutdown. */
  const closeWithin = async (timeoutMs: number): Promise<void> => {
    const closed = client.destroy().catch((err: unknown) => {
      log.warn({ err: describeDiscordError(err) }, 'Discord client did not close cleanly');
    });
    const result = await waitAtMost(clock, timeoutMs, closed);
    if (!result.settled) log.warn({ timeoutMs }, 'Discord gateway did not close in time; stopping without it');
  };

  // Aborted as stop() begins: a start still waiting to reach Discord gives up at once.
  const stopRequested = new AbortController();

  /**
   * Logs in, retrying while Discord cannot be reached (a Pi that boots before its network),
   * like Telegram's start: backoff on the clock from `connectRetryBaseMs`, doubled up to 60 s,
   * for as long as it takes, until stop(). A refusal (bad token, 4xx) is final at once.
   */
  const loginWithRetry = async (): Promise<void> => {
    const baseMs = options.connectRetryBaseMs ?? 1000;
    // The retries ask for the gateway address (what login asks first) rather than repeat
    // login itself: a client whose login failed and that logs in again leaves a handle behind.
    // A refusal goes on to login, which fails with discord.js's own error (TokenInvalid).
    client.rest.setToken(options.token);
    for (let attempt = 1; ; attempt++) {
      const unreachable = await client.rest.get(Routes.gatewayBot(), { signal: stopRequested.signal }).then(
        () => undefined,
        (err: unknown) => (isRefusal(err) ? undefined : { err }),
      );
      if (stopRequested.signal.aborted) throw stopRequested.signal.reason;
      if (unreachable === undefined) {
        await client.login(options.token);
        return;
      }
      const waitMs = Math.min(60_000, baseMs * 2 ** (attempt - 1));
      log.warn({ err: describeDiscordError(unreachable.err), attempt, retryInMs: waitMs }, 'Discord cannot be reached; retrying');
      await clock.sleep(waitMs, stopRequested.signal);
    }
  };

  const frontEnd: DiscordFrontEnd = {
    name: 'discord',
    async start() {
      const readyOnce = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await loginWithRetry();
      } catch (err) {
        // Stopped while waiting for Discord is no failure; anything else is a refusal.
        if (!stopRequested.signal.aborted) {
          log.fatal({ err: describeDiscordError(err) }, 'Discord refused the bot at start; check DISCORD_TOKEN');
          options.onFatal?.(err instanceof Error ? err : new Error(String(err)));
        }
        throw err;
      }
      await readyOnce;
      ready = true;
      try {
        await registerCommandsIfChanged({
          rest: client.rest,
          applicationId: options.applicationId,
          commands: options.slashCommands,
          store: registrationStore,
          log,
        });
      } catch (err) {
        // The bot still serves commands registered earlier; the next start tries again.
        log.error({ err: describeDiscordError(err) }, 'Discord slash-command registration failed');
      }
      log.info({ user: client.user?.tag }, 'Discord front end connected');
    },
    stop() {
      stopRequested.abort(new Error('the Discord front end is stopping'));
      stopped = true;
      ready = false;
      stopping ??= (async () => {
        const drained = (): Promise<unknown> => Promise.all(running);
        await settleWithin(clock, drained(), options.drainMs ?? 10_000);
        shutdown.abort();
        await settleWithin(clock, drained(), 1000);
        await closeWithin(options.stopTimeoutMs ?? 5000);
        log.info({ unfinished: running.size }, 'Discord front end stopped');
      })();
      return stopping;
    },
    sender,
    connected: () => ready && !stopped,
  };
  return frontEnd;
}

/** Discord said no (bad token, missing intent, any 4xx): retrying cannot help. */
function isRefusal(err: unknown): boolean {
  if (err instanceof DiscordjsError) return true;
  return err instanceof DiscordAPIError && err.status < 500;
}
