/**
 * An OutgoingMessage as a raw REST request for POST /channels/:id/messages (alerts, and the
 * result of an interaction whose token expired). Raw REST needs no gateway cache of the
 * channel, so it works for any channel the bot can see and for DM channels alike.
 */
import { MessageFlags, type RequestData } from 'discord.js';
import type { OutgoingMessage } from './render.js';

export function channelMessageBody(message: OutgoingMessage, silent: boolean): RequestData {
  return {
    body: {
      content: message.content,
      components: message.components,
      allowed_mentions: { parse: [] },
      ...(silent ? { flags: MessageFlags.SuppressNotifications } : {}),
      ...(message.files.length > 0 ? { attachments: message.files.map((f, id) => ({ id, filename: f.name })) } : {}),
    },
    files: message.files.map((f, index) => ({ key: `files[${index}]`, name: f.name, data: f.data })),
  };
}
