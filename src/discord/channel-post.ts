/**
 * An OutgoingMessage as a raw REST request for POST /channels/:id/messages (alerts, and the
 * result of an interaction whose token expired). Raw REST needs no gateway cache of the
 * channel, so it works for any channel the bot can see and for DM channels alike.
 */
import { MessageFlags, type RequestData } from 'discord.js';
import type { OutgoingMessage } from './render.js';
import { messageRequest } from './upload-body.js';

export function channelMessageBody(message: OutgoingMessage, silent: boolean): RequestData {
  return messageRequest(
    {
      content: message.content,
      components: message.components,
      allowed_mentions: { parse: [] },
      ...(silent ? { flags: MessageFlags.SuppressNotifications } : {}),
    },
    message,
  );
}
