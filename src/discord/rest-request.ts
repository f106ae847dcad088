/**
 * @discordjs/rest's request function (its `makeRequest` option). Ordinary requests go
 * through Node's fetch as before; a StreamedUpload (a message with attachments) goes
 * through undici's `request` with the multipart body as a stream of the sources' bytes.
 * REST keeps doing the rest: its queue, the token, the 429 waits, the 5xx retries (each a
 * new call here, so the sources are opened again), and its errors (DiscordAPIError).
 *
 * REST aborts every request after its `timeout` (15 s), far too short for 100 MB on a home
 * uplink, so an upload listens to its sender's signal instead; a stalled one still ends by
 * undici's headers timeout (5 min without the socket draining, or without an answer).
 *
 * An upload cut before its last byte is sent again at once, the sources opened again: Discord
 * cannot have made a message from half a body, so this cannot post twice. A failure after the
 * whole body went out is left to the caller (the outbox retries alerts).
 */
import { request } from 'undici';
import { StreamedUpload } from './upload-body.js';

/** REST's request function: fetch's shape (REST builds fetch options). */
export type RestRequest = (url: string, init: RequestInit) => Promise<Response>;

export interface RestRequestDeps {
  /** Ordinary requests; Node's fetch in the app. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Attempts of one upload whose body was cut mid-way (the first included); default 3. */
  uploadAttempts?: number;
  /** Told of each cut upload that is tried again. */
  onCut?: (attempt: number, err: unknown) => void;
}

const DEFAULT_UPLOAD_ATTEMPTS = 3;
/** Status codes whose response may not carry a body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function headerPairs(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export function createRestRequest(deps: RestRequestDeps): RestRequest {
  const attempts = deps.uploadAttempts ?? DEFAULT_UPLOAD_ATTEMPTS;

  async function upload(url: string, init: RequestInit, body: StreamedUpload): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const opened = await body.open();
      try {
        const res = await request(url, {
          method: init.method ?? 'POST',
          headers: {
            ...headerPairs(init.headers),
            'content-type': body.contentType,
            ...(opened.length !== undefined ? { 'content-length': String(opened.length) } : {}),
          },
          body: opened.body,
          ...(body.signal ? { signal: body.signal } : {}),
        });
        const bytes = await res.body.arrayBuffer();
        const headers = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') headers.set(key, value);
          else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        }
        return new Response(NULL_BODY.has(res.statusCode) ? null : bytes, { status: res.statusCode, headers });
      } catch (err) {
        opened.close();
        const own = opened.sourceError();
        if (own !== undefined) throw own;
        if (!opened.cutMidway() || body.signal?.aborted === true) throw err;
        // Given up here: a plain error, so REST does not start its own round of retries
        // (it retries ECONNRESET) on top of ours.
        if (attempt >= attempts) throw new Error(`Discord upload cut mid-way ${attempt} times`, { cause: err });
        deps.onCut?.(attempt, err);
      }
    }
  }

  return (url, init) => {
    if (init.body instanceof StreamedUpload) return upload(url, init, init.body);
    return deps.fetch(url, init);
  };
}
