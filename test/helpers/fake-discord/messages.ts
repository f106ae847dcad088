// Turning a bot's message body (JSON or payload_json + files[n]) into a RecordedMessage, and
// applying edits the way Discord does (attachments listed by id are kept, new ones come
// from files[n] referenced by `{ id: n }`).
import { z } from 'zod';
import type { MultipartPart } from './multipart.js';
import type { RecordedAttachment, RecordedMessage } from './types.js';

const attachmentRef = z.looseObject({
  id: z.union([z.string(), z.number()]),
  filename: z.string().optional(),
  description: z.string().optional(),
});

export const messageBodySchema = z.looseObject({
  content: z.string().nullable().optional(),
  flags: z.number().nullable().optional(),
  embeds: z.array(z.unknown()).nullable().optional(),
  components: z.array(z.unknown()).nullable().optional(),
  allowed_mentions: z.unknown().optional(),
  attachments: z.array(attachmentRef).nullable().optional(),
});
export type MessageBody = z.infer<typeof messageBodySchema>;

export const EPHEMERAL = 64;
export const LOADING = 128;

/** files[n] parts, keyed by n (the index the payload's attachments refer to). */
export function filesFromParts(parts: MultipartPart[], newId: () => string): Map<string, RecordedAttachment> {
  const files = new Map<string, RecordedAttachment>();
  for (const part of parts) {
    const index = /^files\[(\d+)\]$/.exec(part.name)?.[1] ?? (part.filename !== undefined && part.name !== 'payload_json' ? part.name : undefined);
    if (index === undefined) continue;
    files.set(index, {
      id: newId(),
      filename: part.filename ?? `file${index}`,
      contentType: part.contentType ?? 'application/octet-stream',
      bytes: part.data,
      size: part.size,
      sha256: part.sha256,
    });
  }
  return files;
}

function resolveAttachments(refs: MessageBody['attachments'], files: Map<string, RecordedAttachment>, existing: RecordedAttachment[]): RecordedAttachment[] {
  if (refs === undefined || refs === null) return [...existing, ...files.values()];
  const result: RecordedAttachment[] = [];
  const used = new Set<string>();
  for (const ref of refs) {
    const key = String(ref.id);
    const file = files.get(key);
    if (file !== undefined) {
      used.add(key);
      const entry: RecordedAttachment = { ...file, filename: ref.filename ?? file.filename };
      if (ref.description !== undefined) entry.description = ref.description;
      result.push(entry);
      continue;
    }
    const kept = existing.find((a) => a.id === key);
    if (kept !== undefined) result.push(kept);
  }
  // Files sent without a matching attachments entry are still attached by Discord.
  for (const [key, file] of files) if (!used.has(key)) result.push(file);
  return result;
}

export function createMessage(args: {
  id: string;
  channelId: string;
  source: RecordedMessage['source'];
  interactionId?: string;
  body: MessageBody;
  files: Map<string, RecordedAttachment>;
  now: number;
  extraFlags?: number;
}): RecordedMessage {
  const { body } = args;
  const message: RecordedMessage = {
    id: args.id,
    channelId: args.channelId,
    source: args.source,
    content: body.content ?? '',
    flags: (body.flags ?? 0) | (args.extraFlags ?? 0),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    allowed_mentions: body.allowed_mentions,
    attachments: resolveAttachments(body.attachments, args.files, []),
    createdAt: args.now,
    deleted: false,
    edits: 0,
  };
  if (args.interactionId !== undefined) message.interactionId = args.interactionId;
  return message;
}

/** Applies a PATCH in place. The ephemeral bit cannot change; the loading bit goes away. */
export function editMessage(message: RecordedMessage, body: MessageBody, files: Map<string, RecordedAttachment>, now: number): void {
  if (body.content !== undefined) message.content = body.content ?? '';
  const ephemeral = message.flags & EPHEMERAL;
  const flags = body.flags ?? message.flags;
  message.flags = (flags & ~LOADING & ~EPHEMERAL) | ephemeral;
  if (body.embeds !== undefined) message.embeds = body.embeds ?? [];
  if (body.components !== undefined) message.components = body.components ?? [];
  if (body.allowed_mentions !== undefined) message.allowed_mentions = body.allowed_mentions;
  if (body.attachments !== undefined || files.size > 0) {
    message.attachments = resolveAttachments(body.attachments, files, message.attachments);
  }
  message.editedAt = now;
  message.edits += 1;
}

export function cloneMessage(message: RecordedMessage): RecordedMessage {
  return { ...message, attachments: message.attachments.map((a) => ({ ...a })) };
}
