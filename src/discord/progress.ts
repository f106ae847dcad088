/**
 * The core's Progress port for one deferred interaction: `update` edits the deferred reply
 * ("Taking a picture…"); the final reply edits it again. Discord shows its own "thinking…"
 * while deferred, so `action` has nothing to do. Failures are logged at debug and never
 * fail the command.
 */
import type { RepliableInteraction } from 'discord.js';
import type { Progress } from '../core/reply.js';
import type { Logger } from '../log.js';
import { describeDiscordError } from './delivery-error.js';
import { escapeCaption } from './markdown.js';

export interface InteractionProgress extends Progress {
  /** Waits for pending edits and ignores later updates. Call before the final reply. */
  finish(): Promise<void>;
}

/** `signal` is the front end's shutdown: once aborted, no more edits are sent. */
export function createInteractionProgress(interaction: RepliableInteraction, log: Logger, signal?: AbortSignal): InteractionProgress {
  let queue: Promise<void> = Promise.resolve();
  let finished = false;
  let last: string | undefined;
  return {
    update(text) {
      queue = queue
        .then(async () => {
          const content = escapeCaption(text);
          if (finished || content === last || signal?.aborted) return;
          await interaction.editReply({ content, allowedMentions: { parse: [] } });
          last = content;
        })
        .catch((err: unknown) => log.debug({ err: describeDiscordError(err), interaction: interaction.id }, 'Discord progress edit failed'));
      return queue;
    },
    action() {
      // The deferred reply already shows "thinking…" until it is edited.
    },
    async finish() {
      await queue;
      finished = true;
    },
  };
}
