// Discord attachments are streamed: the bot never holds a file whole, whether an alert
// (channel post) or an interaction reply, and an upload cut mid-way is sent again by
// opening the source again. The sources here make their bytes on demand and note how far
// they are ahead of what the fake Discord has received: that lead is what the bot holds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { MediaSource, Reply } from '../../src/core/reply.js';
import type { FakeDiscord, InteractionResult } from '../helpers/fake-discord/index.js';
import { CHANNEL, GUILD, IN_CHANNEL, USER, startHarness } from './harness.js';

const MB = 1024 * 1024;
const CHUNK = 256 * 1024;
/** Half the file: socket buffers included, the bot stays well below; a buffered upload is 32 MB ahead. */
const MAX_LEAD = 16 * MB;

interface Paced {
  media: MediaSource;
  opens: number;
  /** Most bytes the source had given out beyond what the fake had received (over all opens). */
  maxLead: number;
  sha256: string;
}

/** A clip made on demand, chunk by chunk, announcing its size like a Blink download does. */
function pacedSource(fake: FakeDiscord, total: number): Paced {
  const expected = createHash('sha256');
  for (let at = 0; at < total; at += CHUNK) expected.update(chunkAt(at, total));
  const paced: Paced = {
    opens: 0,
    maxLead: 0,
    sha256: expected.digest('hex'),
    media: {
      kind: 'video',
      filename: 'clip.mp4',
      async open() {
        paced.opens++;
        const base = fake.bodyBytesReceived();
        async function* bytes(): AsyncGenerator<Buffer> {
          for (let at = 0; at < total; at += CHUNK) {
            paced.maxLead = Math.max(paced.maxLead, at - (fake.bodyBytesReceived() - base));
            yield chunkAt(at, total);
          }
        }
        return { stream: Readable.from(bytes(), { objectMode: false }), sizeBytes: total };
      },
    },
  };
  return paced;
}

function chunkAt(at: number, total: number): Buffer {
  return Buffer.alloc(Math.min(CHUNK, total - at), (at / CHUNK) % 251);
}

const clipReply = (media: MediaSource): Reply => ({ parts: [{ type: 'media', media, caption: 'Motion: Garage' }] });
const hasEdit = (r: InteractionResult): boolean => r.events.some((e) => e.kind === 'edit');
/** The fake keeps only size and hash of big files (it is not the one under test). */
const fakeOptions = { keepAttachmentBytesUpTo: MB };

/** `/clip 1` in our channel, where attachments may be 64 MB. */
function clipCommand(h: { fake: Parameters<typeof pacedSource>[0] }) {
  return h.fake.sendSlashCommand({ name: 'clip', options: { clip: '1' }, ...IN_CHANNEL, attachmentSizeLimit: 64 * MB });
}

test('an alert clip of 32 MB is streamed to the channel, never held whole', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 64 * MB }, fakeOptions);
  const clip = pacedSource(h.fake, 32 * MB);
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, clipReply(clip.media));
  const [message] = h.fake.channelMessages(CHANNEL);
  assert.equal(message?.attachments[0]?.size, 32 * MB);
  assert.equal(message?.attachments[0]?.sha256, clip.sha256);
  assert.equal(clip.opens, 1);
  assert.ok(clip.maxLead <= MAX_LEAD, `the bot was ${(clip.maxLead / MB).toFixed(1)} MB ahead of Discord`);
});

test('an interaction reply with a 32 MB clip is streamed into the deferred reply, never held whole', async (t) => {
  const h = await startHarness(t, {}, fakeOptions);
  const clip = pacedSource(h.fake, 32 * MB);
  h.answer(() => ({ reply: clipReply(clip.media) }));
  const handle = clipCommand(h);
  const result = await h.fake.waitForInteractionResponse(handle, hasEdit, 20_000);
  const attachment = result.events.find((e) => e.kind === 'edit')?.message?.attachments[0];
  assert.equal(attachment?.size, 32 * MB);
  assert.equal(attachment?.sha256, clip.sha256);
  assert.equal(clip.opens, 1);
  assert.ok(clip.maxLead <= MAX_LEAD, `the bot was ${(clip.maxLead / MB).toFixed(1)} MB ahead of Discord`);
});

test('an alert upload cut mid-way is sent again from a reopened source, and arrives once and whole', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 64 * MB }, fakeOptions);
  const clip = pacedSource(h.fake, 16 * MB);
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 500, cutAfterBytes: 4 * MB });
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, clipReply(clip.media));
  const cut = h.fake.abortedCalls();
  assert.equal(cut.length, 1);
  assert.equal(cut[0]?.cut, true);
  const messages = h.fake.channelMessages(CHANNEL);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]?.attachments[0]?.sha256, clip.sha256);
  assert.equal(clip.opens, 2);
  assert.ok(clip.maxLead <= MAX_LEAD, `the bot was ${(clip.maxLead / MB).toFixed(1)} MB ahead of Discord`);
});

test('an interaction reply cut mid-way is sent again from a reopened source', async (t) => {
  const h = await startHarness(t, {}, fakeOptions);
  const clip = pacedSource(h.fake, 16 * MB);
  h.fake.failNext({ route: 'PATCH /webhooks/:app/:token/messages/:message', status: 500, cutAfterBytes: 4 * MB });
  h.answer(() => ({ reply: clipReply(clip.media) }));
  const handle = clipCommand(h);
  const result = await h.fake.waitForInteractionResponse(handle, hasEdit, 20_000);
  assert.equal(result.events.find((e) => e.kind === 'edit')?.message?.attachments[0]?.sha256, clip.sha256);
  assert.equal(h.fake.abortedCalls().filter((c) => c.cut).length, 1);
  assert.equal(clip.opens, 2);
});

test('a cut that keeps happening ends as a transient failure after three attempts, each from a reopened source', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 64 * MB }, fakeOptions);
  const clip = pacedSource(h.fake, 8 * MB);
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 500, cutAfterBytes: MB, times: 50 });
  await assert.rejects(
    h.frontEnd.sender.send(`dc:${CHANNEL}`, clipReply(clip.media)),
    (err: unknown) => err instanceof Error && 'failure' in err && err.failure === 'transient',
  );
  assert.equal(clip.opens, 3);
  assert.equal(h.fake.abortedCalls().length, 3);
  assert.equal(h.fake.channelMessages(CHANNEL).length, 0);
});

test('an album picture found over the limit while streaming is left out with a note; the others are sent', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 1000 });
  const picture = (name: string, size: number): MediaSource => ({
    kind: 'photo',
    filename: `${name}.jpg`,
    open: async () => ({ stream: Readable.from([Buffer.alloc(size, 7)]) }),
  });
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, {
    parts: [
      {
        type: 'album',
        items: [
          { media: picture('a', 500), caption: 'Front' },
          { media: picture('b', 2000), caption: 'Back' },
          { media: picture('c', 600), caption: 'Side' },
        ],
      },
    ],
  });
  const messages = h.fake.channelMessages(CHANNEL);
  assert.equal(messages.length, 1);
  assert.deepEqual(
    messages[0]?.attachments.map((a) => [a.filename, a.size]),
    [
      ['1-a.jpg', 500],
      ['2-c.jpg', 600],
    ],
  );
  assert.match(messages[0]?.content ?? '', /Front\nBack: too large to send here\nSide/);
});

test("an upload slower than REST's request timeout is not aborted by it (a big clip on a slow uplink)", async (t) => {
  // REST's timeout made 100 ms here; the clip takes longer because its source pauses once.
  const h = await startHarness(t, { uploadLimitBytes: 64 * MB, restTimeoutMs: 100 }, fakeOptions);
  let opens = 0;
  const media: MediaSource = {
    kind: 'video',
    filename: 'clip.mp4',
    async open() {
      opens++;
      async function* bytes(): AsyncGenerator<Buffer> {
        yield Buffer.alloc(CHUNK, 1);
        await new Promise((resolve) => setTimeout(resolve, 400));
        yield Buffer.alloc(CHUNK, 2);
      }
      return { stream: Readable.from(bytes(), { objectMode: false }), sizeBytes: 2 * CHUNK };
    },
  };
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, clipReply(media));
  assert.equal(h.fake.channelMessages(CHANNEL)[0]?.attachments[0]?.size, 2 * CHUNK);
  assert.equal(opens, 1);
});

test('a 429 on an upload is waited out by @discordjs/rest and the clip sent again from a reopened source, once', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 64 * MB }, fakeOptions);
  const clip = pacedSource(h.fake, 2 * MB);
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 429, retryAfter: 0.05 });
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, clipReply(clip.media));
  assert.deepEqual(
    h.fake.callsOf('POST /channels/:channel/messages').map((c) => c.status),
    [429, 200],
  );
  const messages = h.fake.channelMessages(CHANNEL);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]?.attachments[0]?.sha256, clip.sha256);
  assert.equal(clip.opens, 2);
});

test('a clip after a text part goes as a streamed follow-up, ephemeral when the reply is private', async (t) => {
  const h = await startHarness(t, {}, fakeOptions);
  const clip = pacedSource(h.fake, 2 * MB);
  h.answer(() => ({ reply: { private: true, parts: [{ type: 'text', text: 'Here it is:' }, ...clipReply(clip.media).parts] } }));
  const handle = clipCommand(h);
  const result = await h.fake.waitForInteractionResponse(
    handle,
    (r) => r.events.some((e) => e.kind === 'followup' && (e.message?.attachments.length ?? 0) > 0),
    20_000,
  );
  const followUp = result.events.find((e) => e.kind === 'followup' && (e.message?.attachments.length ?? 0) > 0)?.message;
  assert.equal(followUp?.attachments[0]?.sha256, clip.sha256);
  assert.equal(followUp?.content, 'Motion: Garage');
  assert.equal((followUp?.flags ?? 0) & 64, 64, 'ephemeral');
  assert.equal(clip.opens, 1);
});

test('a clip whose interaction token expired (F26) goes to the channel once, from a reopened source', async (t) => {
  const h = await startHarness(t, {}, fakeOptions);
  const clip = pacedSource(h.fake, 2 * MB);
  h.fake.failNext({ route: 'PATCH /webhooks/:app/:token/messages/:message', status: 404 });
  h.answer(() => ({ reply: clipReply(clip.media) }));
  h.fake.sendSlashCommand({ name: 'clip', options: { clip: '1' }, userId: USER, guildId: GUILD, channelId: CHANNEL, attachmentSizeLimit: 64 * MB });
  const posted = await h.fake.waitForChannelMessage(CHANNEL, (m) => m.source === 'channel', 20_000);
  assert.equal(posted.attachments[0]?.sha256, clip.sha256);
  assert.equal(h.fake.callsOf('PATCH /webhooks/:app/:token/messages/:message').length, 1);
  assert.equal(h.fake.callsOf('POST /channels/:channel/messages').length, 1);
  assert.equal(clip.opens, 2);
});
