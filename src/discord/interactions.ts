/**
 * Interactions → the core, and Outcomes → interaction replies. Every command, button press
 * and modal submit is acknowledged at once (deferReply, or showModal), then dispatched; the
 * Outcome edits the deferred reply and further parts come as follow-ups. One error boundary
 * logs once and answers once; an expired token (15 min) is never retried.
 */
import {
  makeURLSearchParams,
  MessageFlags,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type REST,
  type RepliableInteraction,
} from 'discord.js';
import { notAllowedText } from '../core/dispatcher.js';
import { findCommand } from '../core/registry.js';
import { createStrangerGate } from '../core/stranger-gate.js';
import type { ChatContext, Dispatcher, InboundEvent } from '../core/inbound.js';
import type { Reply } from '../core/reply.js';
import { EXPIRED_BUTTON_TEXT, FALLBACK_ERROR_TEXT } from '../core/user-error.js';
import { waitAtMost, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ActionStore } from '../core/action-store.js';
import { autocompleteKind, filterChoices, type AutocompleteSource } from './autocomplete.js';
import { describeDiscordError, isExpiredInteraction } from './delivery-error.js';
import { caller, chatContext, optionsRecord } from './map-interaction.js';
import { actionToken, inputModal, inputModalId, LOGIN_EMAIL_FIELD, LOGIN_MODAL_ID, LOGIN_PASSWORD_FIELD, loginModal } from './modals.js';
import { createInteractionProgress } from './progress.js';
import { renderReply, type OutgoingMessage } from './render.js';
import { channelMessageBody } from './channel-post.js';
import { escapeCaption } from './markdown.js';
import { messageRequest } from './upload-body.js';

/** Discord's default when an interaction carries no `attachment_size_limit` (10 MiB). */
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
/** Autocomplete must answer within 3 s; leave room for the round trip. */
const AUTOCOMPLETE_BUDGET_MS = 2500;
/**
 * A command whose replies are always private (the registry's `private`: login, pin, logout;
 * docs/chat-contract.md §4: every reply of the login is ephemeral) is deferred ephemerally
 * from the start. Any other Outcome marked private replaces the public "thinking…" with an
 * ephemeral follow-up.
 */
const isPrivateCommand = (name: string): boolean => findCommand(name)?.private === true;
const NO_MENTIONS = { parse: [] as [] };

export interface InteractionDeps {
  dispatcher: Dispatcher;
  autocomplete: AutocompleteSource;
  actions: ActionStore;
  rest: REST;
  log: Logger;
  /** Bounds the autocomplete lookup. */
  clock: Clock;
  /**
   * Whether the chat is allowlisted. Only for the two answers that cannot wait for the
   * dispatcher: the login form (a modal must be the first response) and a button we hold no
   * action for. Absent: every chat counts as allowed there (the dispatcher still decides).
   */
  chatAllowed?: (chat: ChatContext) => boolean;
  /** Aborted when the front end stops: commands in flight stop, and nothing more is sent for them. */
  signal(): AbortSignal | undefined;
}

export function createInteractionHandler(deps: InteractionDeps): (interaction: Interaction) => Promise<void> {
  const { log } = deps;
  const allowed = (interaction: Interaction): boolean => deps.chatAllowed?.(chatContext(interaction)) ?? true;

  async function run(interaction: RepliableInteraction, event: InboundEvent, ephemeral: boolean): Promise<void> {
    // Acknowledge first: nothing may come between the interaction and this call (3 s window).
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    const signal = deps.signal();
    const progress = createInteractionProgress(interaction, log, signal);
    const outcome = await deps.dispatcher.handle({
      chat: chatContext(interaction),
      caller: caller(interaction),
      event,
      progress,
      ...(signal ? { signal } : {}),
    });
    await progress.finish();
    // Stopped by shutdown: the command's outcome (its failure) is not sent to a Discord we are leaving.
    if (signal?.aborted) {
      log.info({ interaction: interaction.id }, 'Discord reply not sent: shutting down');
      return;
    }
    await deliver(interaction, outcome.reply, ephemeral);
  }

  async function deliver(interaction: RepliableInteraction, reply: Reply, deferredEphemeral: boolean): Promise<void> {
    if (reply.parts.length === 0) {
      await interaction.deleteReply();
      return;
    }
    const ephemeral = deferredEphemeral || reply.private === true;
    // A public "thinking…" cannot turn ephemeral: remove it and answer with ephemeral follow-ups.
    const editFirst = !(reply.private === true && !deferredEphemeral);
    if (!editFirst) await interaction.deleteReply();
    const flags = (ephemeral ? MessageFlags.Ephemeral : 0) | (reply.silent ? MessageFlags.SuppressNotifications : 0);
    let toChannel = false;
    const viaInteraction = async (message: OutgoingMessage, index: number): Promise<string> => {
      const edit = index === 0 && editFirst;
      if (message.files.length > 0) return messageId(await viaWebhook(interaction, message, edit, flags));
      const body = { content: message.content, components: message.components, allowedMentions: NO_MENTIONS };
      if (edit) return (await interaction.editReply(body)).id;
      return (await interaction.followUp({ ...body, ...(flags !== 0 ? { flags } : {}) })).id;
    };
    const post = async (message: OutgoingMessage, index: number): Promise<string> => {
      if (!toChannel) {
        try {
          return await viaInteraction(message, index);
        } catch (err) {
          // F26: the token lived 15 min. A public result still reaches the channel, once.
          if (!isExpiredInteraction(err) || ephemeral || interaction.channelId === null) throw err;
          log.warn({ interaction: interaction.id, channel: interaction.channelId }, 'Discord interaction token expired; sending the result to the channel');
          toChannel = true;
        }
      }
      const sent = await deps.rest.post(Routes.channelMessages(interaction.channelId ?? ''), channelMessageBody(message, reply.silent === true));
      return messageId(sent);
    };
    await renderReply(
      deps,
      reply,
      {
        chatId: chatContext(interaction).id,
        uploadLimitBytes: interaction.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
        ...(deps.signal() ? { signal: deps.signal() } : {}),
      },
      post,
    );
  }

  /**
   * A message with attachments as the interaction's edit or follow-up, by the same webhook
   * routes discord.js uses, but with a streamed body (discord.js would read every file into
   * memory first). See src/discord/upload-body.ts.
   */
  function viaWebhook(interaction: RepliableInteraction, message: OutgoingMessage, edit: boolean, flags: number): Promise<unknown> {
    const json = { content: message.content, components: message.components, allowed_mentions: NO_MENTIONS };
    if (edit) {
      return deps.rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), {
        auth: false,
        ...messageRequest(json, message),
      });
    }
    return deps.rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
      auth: false,
      query: makeURLSearchParams({ wait: true }),
      ...messageRequest({ ...json, ...(flags !== 0 ? { flags } : {}) }, message),
    });
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    // docs/chat-contract.md §3: a chat that is not allowed gets the one reply naming it, never the form;
    // the dispatcher gives that reply to a login without credentials.
    if (interaction.commandName === 'login' && allowed(interaction)) {
      await interaction.showModal(loginModal());
      return;
    }
    const event: InboundEvent = { type: 'command', name: interaction.commandName, options: optionsRecord(interaction.options.data) };
    await run(interaction, event, isPrivateCommand(interaction.commandName));
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const token = actionToken(interaction.customId);
    const action = token !== undefined ? deps.actions.get(token, chatContext(interaction).id) : undefined;
    if (token === undefined || action === undefined) {
      const content = allowed(interaction) ? EXPIRED_BUTTON_TEXT : notAllowedText(chatContext(interaction).id);
      await interaction.reply({ content: escapeCaption(content), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    if (action.input !== undefined) {
      await interaction.showModal(inputModal(inputModalId(token), action.input));
      return;
    }
    // One press at a time: a double click while the first still runs is only acknowledged.
    if (!deps.actions.claim(token)) {
      await interaction.deferUpdate();
      return;
    }
    try {
      await run(interaction, { type: 'button', command: action.command, args: action.args, pressId: token }, isPrivateCommand(action.command));
    } finally {
      deps.actions.release(token);
    }
  }

  async function onModal(interaction: ModalSubmitInteraction): Promise<void> {
    if (interaction.customId === LOGIN_MODAL_ID) {
      const options = {
        email: interaction.fields.getTextInputValue(LOGIN_EMAIL_FIELD),
        password: interaction.fields.getTextInputValue(LOGIN_PASSWORD_FIELD),
      };
      await run(interaction, { type: 'command', name: 'login', options }, true);
      return;
    }
    const token = actionToken(interaction.customId);
    const action = token !== undefined ? deps.actions.get(token, chatContext(interaction).id) : undefined;
    if (action?.input === undefined) {
      await interaction.reply({ content: EXPIRED_BUTTON_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    const value = interaction.fields.getTextInputValue(action.input.name);
    // Typed into a form: private, like the login it usually belongs to.
    await run(interaction, { type: 'button', command: action.command, args: { ...action.args, [action.input.name]: value } }, true);
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const kind = autocompleteKind(focused.name);
    let choices: { name: string; value: string }[] = [];
    if (kind !== undefined) {
      const typed = String(focused.value);
      const lookup = deps.autocomplete(kind, chatContext(interaction), caller(interaction), typed);
      try {
        const found = await waitAtMost(deps.clock, AUTOCOMPLETE_BUDGET_MS, lookup);
        if (!found.settled) log.debug({ kind }, 'autocomplete too slow; answering with no choices');
        choices = filterChoices(found.settled ? found.value : [], typed);
      } catch (err) {
        log.debug({ err: describeDiscordError(err), kind }, 'autocomplete lookup failed; answering with no choices');
      }
    }
    await interaction.respond(choices);
  }

  /** The one boundary: log once, answer once if the interaction can still be answered. */
  async function fail(interaction: Interaction, err: unknown): Promise<void> {
    const expired = isExpiredInteraction(err);
    log[expired ? 'warn' : 'error'](
      { err: describeDiscordError(err), interaction: interaction.id, type: interaction.type },
      expired ? 'Discord interaction token expired before the answer; not retrying' : 'Discord interaction failed',
    );
    if (expired || !interaction.isRepliable() || deps.signal()?.aborted) return;
    try {
      if (interaction.deferred || interaction.replied) {
        await interaction.followUp({ content: FALLBACK_ERROR_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      } else {
        await interaction.reply({ content: FALLBACK_ERROR_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      }
    } catch (secondary) {
      log.debug({ err: describeDiscordError(secondary), interaction: interaction.id }, 'could not tell the user about the failure');
    }
  }

  const strangers = createStrangerGate({ dispatcher: deps.dispatcher, clock: deps.clock });

  return async (interaction) => {
    // A chat that is not served: one answer a minute; the rest is not even acknowledged
    // (Discord then shows the user that the app did not respond). Autocomplete stays cheap:
    // it answers no choices without a lookup (the dispatcher refuses the lookup).
    if (!interaction.isAutocomplete() && !strangers.admit(chatContext(interaction), caller(interaction), true)) {
      log.debug(
        { interaction: interaction.id, chat: chatContext(interaction).id },
        'Discord interaction from a chat that is not served; dropped (one answer a minute)',
      );
      return;
    }
    try {
      if (interaction.isAutocomplete()) await onAutocomplete(interaction);
      else if (interaction.isChatInputCommand()) await onCommand(interaction);
      else if (interaction.isButton()) await onButton(interaction);
      else if (interaction.isModalSubmit()) await onModal(interaction);
    } catch (err) {
      await fail(interaction, err);
    }
  };
}

function messageId(sent: unknown): string {
  if (typeof sent === 'object' && sent !== null && 'id' in sent && typeof sent.id === 'string') return sent.id;
  return '';
}
