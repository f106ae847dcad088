/**
 * A Discord message with attachments as a streamed multipart/form-data body. Nothing is
 * buffered: each attempt opens the MediaSources again and their bytes go to the socket as
 * they arrive, so memory per upload is a few chunks whatever the file size (a 100 MB clip
 * on a boosted server included). @discordjs/rest would copy every file into a Blob first
 * (its RawFile `data` is a Buffer or a string), so the body travels through REST as an
 * opaque `passThroughBody` and src/discord/rest-request.ts sends it; REST still queues
 * the request, adds the token and waits out 429s. See docs/performance.md, "Discord uploads".
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RequestData } from 'discord.js';
import type { MediaSource } from '../core/reply.js';
import { limitedBytes, UploadTooLargeError } from '../core/upload-limit.js';

/** One attachment: the name Discord shows and where its bytes come from. */
export interface UploadFile {
  name: string;
  media: MediaSource;
}

/** How big each attachment may be, and the signal that stops reading the sources. */
export interface UploadLimits {
  limitBytes: number;
  signal?: AbortSignal;
}

/** Attachment `index` of the message is over the limit (an album leaves it out and sends the rest). */
export class AttachmentTooLargeError extends UploadTooLargeError {
  readonly index: number;
  constructor(index: number, limitBytes: number, sizeBytes?: number) {
    super(limitBytes, sizeBytes);
    this.index = index;
  }
}

/** One attempt's body, opened: the bytes in order, and what happened to them. */
export interface OpenedUpload {
  body: AsyncIterable<Uint8Array>;
  /** Total bytes, when every source told its size (else the body goes chunked). */
  length: number | undefined;
  /** The body ended before its last byte (the connection was cut) and no source failed. */
  cutMidway(): boolean;
  /** A source's own failure (over the limit, a download that broke), to be reported as it is. */
  sourceError(): unknown;
  /** Releases the sources (an attempt that never started its body). */
  close(): void;
}

const CRLF = '\r\n';

/** Quotes a name for Content-Disposition the way browsers and undici do. */
const quoted = (name: string): string => name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');

function contentTypeOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.mp4')) return 'video/mp4';
  if (lower.endsWith('.jpg') || lower.endsWith('.jpeg')) return 'image/jpeg';
  if (lower.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}

export class StreamedUpload {
  readonly boundary = `blink-bot-${randomBytes(12).toString('hex')}`;

  constructor(
    /** The message JSON, sent as `payload_json`. */
    readonly payload: unknown,
    readonly files: readonly UploadFile[],
    private readonly limits: UploadLimits,
  ) {}

  get contentType(): string {
    return `multipart/form-data; boundary=${this.boundary}`;
  }

  /** Opens every source for one attempt; a size announced over the limit fails here, before any byte is sent. */
  async open(): Promise<OpenedUpload> {
    const { limitBytes, signal } = this.limits;
    for (const [index, file] of this.files.entries()) {
      const size = file.media.sizeBytes;
      if (size !== undefined && size > limitBytes) throw new AttachmentTooLargeError(index, limitBytes, size);
    }
    const opened: { stream: Readable; sizeBytes?: number }[] = [];
    const close = (): void => {
      for (const o of opened) o.stream.destroy();
    };
    try {
      for (const [index, file] of this.files.entries()) {
        const source = await file.media.open(signal);
        opened.push(source);
        if (source.sizeBytes !== undefined && source.sizeBytes > limitBytes) throw new AttachmentTooLargeError(index, limitBytes, source.sizeBytes);
      }
    } catch (err) {
      close();
      throw err;
    }
    const encoder = new TextEncoder();
    const head = encoder.encode(
      `--${this.boundary}${CRLF}Content-Disposition: form-data; name="payload_json"${CRLF}Content-Type: application/json${CRLF}${CRLF}${JSON.stringify(this.payload)}${CRLF}`,
    );
    const fileHeads = this.files.map((file, index) =>
      encoder.encode(`--${this.boundary}${CRLF}Content-Disposition: form-data; name="files[${index}]"; filename="${quoted(file.name)}"${CRLF}Content-Type: ${contentTypeOf(file.name)}${CRLF}${CRLF}`),
    );
    const crlf = encoder.encode(CRLF);
    const tail = encoder.encode(`--${this.boundary}--${CRLF}`);
    const sizes = opened.map((o) => o.sizeBytes);
    const length = sizes.every((s) => s !== undefined)
      ? head.byteLength + tail.byteLength + fileHeads.reduce((sum, h, i) => sum + h.byteLength + (sizes[i] ?? 0) + crlf.byteLength, 0)
      : undefined;

    let finished = false;
    let failure: unknown;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        yield head;
        for (const [index, source] of opened.entries()) {
          yield fileHeads[index] ?? crlf;
          let sent = 0;
          try {
            for await (const bytes of limitedBytes(source.stream, limitBytes)) {
              sent += bytes.byteLength;
              yield bytes;
            }
          } catch (err) {
            failure = err instanceof UploadTooLargeError ? new AttachmentTooLargeError(index, limitBytes) : err;
            throw failure;
          }
          // A length was announced: a source that ends short must not leave the request hanging.
          if (source.sizeBytes !== undefined && sent !== source.sizeBytes) {
            failure = new Error(`attachment ${index} had ${sent} bytes, ${source.sizeBytes} announced`);
            throw failure;
          }
          yield crlf;
        }
        yield tail;
        finished = true;
      } finally {
        close();
      }
    }
    return {
      body: body(),
      length,
      cutMidway: () => !finished && failure === undefined,
      sourceError: () => failure,
      close,
    };
  }
}

/**
 * REST request data for a message body: JSON as usual, or with attachments a StreamedUpload
 * that REST passes through untouched to src/discord/rest-request.ts.
 */
export function messageRequest(json: Record<string, unknown>, message: { files: readonly UploadFile[]; limits: UploadLimits }): RequestData {
  if (message.files.length === 0) return { body: json };
  const attachments = message.files.map((f, id) => ({ id, filename: f.name }));
  return { body: new StreamedUpload({ ...json, attachments }, message.files, message.limits), passThroughBody: true };
}
