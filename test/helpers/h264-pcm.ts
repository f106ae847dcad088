/**
 * A tiny but valid H.264 stream for tests that need real MPEG-TS before the simulator's own
 * media generator is available: one I_PCM key frame per second (raw samples, no prediction)
 * and all-skip P frames in between, muxed into MPEG-TS with mediabunny. Any decoder plays it.
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, MpegTsOutputFormat, Output } from 'mediabunny';

class Bits {
  private bytes: number[] = [];
  private cur = 0;
  private n = 0;
  u(count: number, value: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | ((value >>> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  ue(value: number): void {
    const v = value + 1;
    const len = Math.floor(Math.log2(v));
    this.u(len, 0);
    this.u(len + 1, v);
  }
  se(value: number): void {
    this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }
  align(): void {
    while (this.n !== 0) this.u(1, 0);
  }
  byte(b: number): void {
    this.u(8, b);
  }
  trailing(): Uint8Array {
    this.u(1, 1);
    this.align();
    return Uint8Array.from(this.bytes);
  }
  private flushByte(): void {
    this.bytes.push(this.cur & 0xff);
    this.cur = 0;
    this.n = 0;
  }
}

/** Annex B NAL unit with emulation prevention. */
function nal(type: number, refIdc: number, rbsp: Uint8Array): Uint8Array {
  const out = [0, 0, 0, 1, (refIdc << 5) | type];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function h264Frames(opts: { widthMbs: number; heightMbs: number; fps: number; seconds: number }): { data: Uint8Array; key: boolean; timestamp: number }[] {
  const { widthMbs, heightMbs, fps } = opts;
  const sps = new Bits();
  sps.byte(66); // Baseline
  sps.byte(0xc0);
  sps.byte(30);
  sps.ue(0); // sps id
  sps.ue(0); // log2_max_frame_num_minus4
  sps.ue(2); // poc type 2
  sps.ue(1); // max ref frames
  sps.u(1, 0);
  sps.ue(widthMbs - 1);
  sps.ue(heightMbs - 1);
  sps.u(1, 1); // frame_mbs_only
  sps.u(1, 1); // direct_8x8
  sps.u(1, 0); // cropping
  sps.u(1, 0); // vui
  const pps = new Bits();
  pps.ue(0);
  pps.ue(0);
  pps.u(1, 0); // CAVLC
  pps.u(1, 0);
  pps.ue(0);
  pps.ue(0);
  pps.ue(0);
  pps.u(1, 0);
  pps.u(2, 0);
  pps.se(0);
  pps.se(0);
  pps.se(0);
  pps.u(1, 1); // deblocking control present
  pps.u(1, 0);
  pps.u(1, 0);
  const spsNal = nal(7, 3, sps.trailing());
  const ppsNal = nal(8, 3, pps.trailing());
  const frames: { data: Uint8Array; key: boolean; timestamp: number }[] = [];
  const total = Math.round(opts.seconds * fps);
  let frameNum = 0;
  for (let i = 0; i < total; i++) {
    const key = i % fps === 0;
    const s = new Bits();
    s.ue(0);
    if (key) {
      frameNum = 0;
      s.ue(7);
      s.ue(0);
      s.u(4, 0);
      s.ue(i / fps); // idr_pic_id
      s.u(1, 0);
      s.u(1, 0);
      s.se(0);
      s.ue(1);
      const shade = 40 + ((i / fps) * 37) % 180;
      for (let mb = 0; mb < widthMbs * heightMbs; mb++) {
        s.ue(25); // I_PCM
        s.align();
        for (let k = 0; k < 256; k++) s.byte(mb % 2 === 0 ? shade : 235 - shade + 16);
        for (let k = 0; k < 128; k++) s.byte(128);
      }
      frames.push({ data: concat([spsNal, ppsNal, nal(5, 3, s.trailing())]), key, timestamp: i / fps });
    } else {
      frameNum = (frameNum + 1) % 16;
      s.ue(5);
      s.ue(0);
      s.u(4, frameNum);
      s.u(1, 0);
      s.u(1, 0);
      s.u(1, 0);
      s.se(0);
      s.ue(1);
      s.ue(widthMbs * heightMbs); // everything skipped
      frames.push({ data: nal(1, 2, s.trailing()), key, timestamp: i / fps });
    }
  }
  return frames;
}

/** `seconds` of video as MPEG-TS bytes. */
export async function sampleTs(seconds: number, fps = 10): Promise<Uint8Array> {
  const widthMbs = 4;
  const heightMbs = 3;
  const output = new Output({ format: new MpegTsOutputFormat(), target: new BufferTarget() });
  const source = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(source, { frameRate: fps });
  await output.start();
  let first = true;
  for (const f of h264Frames({ widthMbs, heightMbs, fps, seconds })) {
    const packet = new EncodedPacket(f.data, f.key ? 'key' : 'delta', f.timestamp, 1 / fps);
    await source.add(packet, first ? { decoderConfig: { codec: 'avc1.42c01e', codedWidth: widthMbs * 16, codedHeight: heightMbs * 16 } } : undefined);
    first = false;
  }
  await output.finalize();
  const buffer = output.target.buffer;
  if (!buffer) throw new Error('no TS written');
  return new Uint8Array(buffer);
}
