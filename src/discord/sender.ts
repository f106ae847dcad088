/**
 * The ChatSender port (src/core/sender.ts) for Discord: unprompted messages such as motion
 * alerts, to 'dc:<channel id>' or, for a DM, 'dc:<user id>'. A key names either; Discord
 * snowflakes are unique across kinds, so an id that is not a channel (10003 Unknown Channel)
 * is tried as a user and its DM channel remembered. Every failure comes out as a
 * DeliveryError; 429s were already waited out by @discordjs/rest.
 */
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import { z } from 'zod';
import type { ChatSender } from '../core/sender.js';
import { DeliveryError } from '../core/sender.js';
import type { Logger } from '../log.js';
import type { ActionStore } from '../core/action-store.js';
import type { BoundedMap } from '../core/bounded-map.js';
import { channelMessageBody } from './channel-post.js';
import { DiscordCode, toDeliveryError } from './delivery-error.js';
import { discordId } from './map-interaction.js';
import { renderReply } from './render.js';

export interface DiscordSenderDeps {
  rest: REST;
  actions: ActionStore;
  log: Logger;
  /** DISCORD_UPLOAD_LIMIT_MB in bytes. */
  uploadLimitBytes: number;
  /** user id → DM channel id, shared with the interaction side (which learns DMs as they come); bounded. */
  dmChannels: Pick<BoundedMap<string, string>, 'get' | 'set' | 'has' | 'delete'>;
}

const Created = z.object({ id: z.string() });

export function createDiscordSender(deps: DiscordSenderDeps): ChatSender {
  const { rest, dmChannels } = deps;

  const openDm = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known !== undefined) return known;
    const channel = Created.parse(await rest.post(Routes.userChannels(), { body: { recipient_id: userId } }));
    dmChannels.set(userId, channel.id);
    return channel.id;
  };

  /** The channel to post to: a known DM, else the id itself (a channel) until Discord says otherwise. */
  const resolveTarget = async (id: string, retryAsUser: boolean): Promise<string> => (retryAsUser || dmChannels.has(id) ? openDm(id) : id);

  return {
    platform: 'dc',
    uploadLimitBytes: deps.uploadLimitBytes,
    async send(chatKey, reply, options) {
      const id = discordId(chatKey);
      if (id === undefined) throw new DeliveryError('chat-gone', `not a Discord chat: ${chatKey}`);
      let asUser = false;
      const post = async (message: Parameters<typeof channelMessageBody>[0]): Promise<string> => {
        for (;;) {
          try {
            const target = await resolveTarget(id, asUser);
            const sent = Created.parse(
              await rest.post(Routes.channelMessages(target), {
                ...channelMessageBody(message, reply.silent === true),
                ...(options?.signal ? { signal: options.signal } : {}),
              }),
            );
            return sent.id;
          } catch (err) {
            const unknownChannel = err instanceof DiscordAPIError && err.code === DiscordCode.UnknownChannel;
            if (!unknownChannel || asUser || dmChannels.has(id)) throw err;
            asUser = true;
          }
        }
      };
      try {
        const messageIds = await renderReply(
          deps,
          reply,
          { chatId: chatKey, uploadLimitBytes: deps.uploadLimitBytes, ...(options?.signal ? { signal: options.signal } : {}) },
          post,
        );
        return { messageIds };
      } catch (err) {
        // A DM that failed: forget its channel, so a wrong or stale one is not reused (the next
        // send opens the DM again). Only this chat is affected; the user's other links are not.
        if (asUser || dmChannels.has(id)) dmChannels.delete(id);
        if (err instanceof DiscordAPIError && (err.code === DiscordCode.InvalidRecipient || err.code === DiscordCode.CannotSendToUser)) {
          throw new DeliveryError('chat-gone', `Discord cannot deliver to ${chatKey} (${err.code})`, { cause: err });
        }
        throw toDeliveryError(err);
      }
    },
  };
}
