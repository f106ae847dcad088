import assert from 'node:assert/strict';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { cameraClipMp4, cameraJpeg, liveTsChunks, liveTsStream } from '../../src/simulator/media/index.js';
import { probeVideo } from '../helpers/media-probe.js';

const AT = Date.UTC(2026, 5, 27, 12, 0, 5);

function decoded(bytes: Buffer): { width: number; height: number; data: Uint8Array } {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

/** Share of pixels that differ by more than a little between two same-size pictures. */
function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) + Math.abs((a[i + 1] ?? 0) - (b[i + 1] ?? 0)) + Math.abs((a[i + 2] ?? 0) - (b[i + 2] ?? 0)) > 30) n++;
  }
  return n / (a.length / 4);
}

test('a snap is a small baseline JPEG that decodes to a 640x360 picture, not a blank one', () => {
  const bytes = cameraJpeg({ camera: 'Front Door', atMs: AT });
  assert.ok(bytes.length > 3000 && bytes.length < 40_000, `${bytes.length} bytes`);
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
  assert.ok(bytes.includes(Buffer.from([0xff, 0xc0])), 'SOF0: baseline');
  assert.ok(!bytes.includes(Buffer.from([0xff, 0xc2])), 'not progressive');
  const img = decoded(bytes);
  assert.equal(img.width, 640);
  assert.equal(img.height, 360);
  const colours = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4 * 97)
    colours.add(((img.data[i] ?? 0) >> 4) * 256 + ((img.data[i + 1] ?? 0) >> 4) * 16 + ((img.data[i + 2] ?? 0) >> 4));
  assert.ok(colours.size > 20, `only ${colours.size} colours`);
});

test('snaps are deterministic and differ per camera and per snap', () => {
  const a = cameraJpeg({ camera: 'Front Door', atMs: AT });
  assert.deepEqual(cameraJpeg({ camera: 'Front Door', atMs: AT }), a);
  const otherCamera = decoded(cameraJpeg({ camera: 'Back Yard', atMs: AT })).data;
  const nextSnap = decoded(cameraJpeg({ camera: 'Front Door', atMs: AT + 5000 })).data;
  const sameSecond = decoded(cameraJpeg({ camera: 'Front Door', atMs: AT, variant: 7 })).data;
  const base = decoded(a).data;
  assert.ok(differing(base, otherCamera) > 0.05, 'another camera looks different');
  assert.ok(differing(base, nextSnap) > 0.003, 'a later snap looks different');
  assert.ok(differing(base, sameSecond) > 0.003, 'another variant looks different');
});

test('a clip is a fast-start H.264 MP4 of 4 s at 320x192, deterministic, per camera', async () => {
  const bytes = cameraClipMp4({ camera: 'Front Door', startMs: AT, variant: 7000001 });
  assert.ok(bytes.length > 20_000 && bytes.length < 150_000, `${bytes.length} bytes`);
  const probe = await probeVideo(bytes);
  assert.deepEqual(
    { container: probe.container, codec: probe.codec, width: probe.width, height: probe.height, moovFirst: probe.hasMoovFirst },
    { container: 'mp4', codec: 'avc', width: 320, height: 192, moovFirst: true },
  );
  assert.equal(probe.codecString, 'avc1.42c01e');
  assert.equal(probe.durationSeconds, 4);
  assert.equal(probe.frames, 16);
  assert.equal(probe.keyFrames, 1);
  // H.264 level 3.0 (MinCR 2) allows the first picture 384 bytes per macroblock / 2: 46,080 bytes.
  assert.ok(probe.firstFrameBytes < (320 / 16) * (192 / 16) * 192, `first picture ${probe.firstFrameBytes} bytes`);
  assert.deepEqual(cameraClipMp4({ camera: 'Front Door', startMs: AT, variant: 7000001 }), bytes);
  assert.notDeepEqual(cameraClipMp4({ camera: 'Back Yard', startMs: AT, variant: 7000001 }), bytes);
  const short = await probeVideo(cameraClipMp4({ camera: 'Porch', startMs: AT, seconds: 2, fps: 5 }));
  assert.equal(short.durationSeconds, 2);
  assert.equal(short.frames, 10);
});

test('the live stream is MPEG-TS with H.264, one joinable chunk per second', async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of liveTsStream({ camera: 'Front Door', startMs: AT, seconds: 3 })) chunks.push(chunk);
  assert.equal(chunks.length, 3);
  for (const chunk of chunks) {
    assert.equal(chunk.length % 188, 0);
    assert.equal(chunk[0], 0x47);
    assert.equal(chunk.readUInt16BE(1) & 0x1fff, 0, 'each chunk opens with the PAT');
  }
  const whole = await probeVideo(Buffer.concat(chunks));
  assert.deepEqual(
    { container: whole.container, codec: whole.codec, width: whole.width, height: whole.height, frames: whole.frames, keyFrames: whole.keyFrames },
    { container: 'mpegts', codec: 'avc', width: 320, height: 192, frames: 12, keyFrames: 3 },
  );
  assert.equal(whole.durationSeconds, 3);
  const joined = await probeVideo(chunks[2] ?? Buffer.alloc(0));
  assert.equal(joined.frames, 4, 'a viewer joining at the last chunk gets a full second');
  assert.equal(joined.keyFrames, 1);
  const endless = liveTsChunks({ camera: 'Front Door', startMs: AT, seconds: Number.POSITIVE_INFINITY });
  for (let i = 0; i < 5; i++) assert.equal(endless.next().done, false);
});
