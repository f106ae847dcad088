/**
 * A minimal MPEG transport stream writer for one H.264 track (what Blink's live view carries):
 * PAT and PMT before every keyframe, one PES per picture with its PTS, a PCR on every picture.
 * Stateful only in continuity counters, so a stream can be produced chunk by chunk.
 * See docs/blink-api.md, "Live view".
 */

const PACKET = 188;
const PMT_PID = 0x1000;
const VIDEO_PID = 0x100;
const STREAM_TYPE_H264 = 0x1b;
/** 90 kHz clock; the first picture is shown 1 s in so the PCR can run ahead of it. */
const PTS_START = 90_000;
const PCR_LEAD = 9_000;
const START_CODE = Uint8Array.from([0, 0, 0, 1]);
const AUD = Uint8Array.from([0x09, 0xf0]);

function crc32Mpeg(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** A PSI section (table id … CRC) behind its pointer field. */
function psiPayload(tableId: number, idExtension: number, body: number[]): Uint8Array {
  const length = 5 + body.length + 4;
  const section = Uint8Array.from([tableId, 0xb0 | ((length >> 8) & 0x0f), length & 0xff, idExtension >> 8, idExtension & 0xff, 0xc1, 0x00, 0x00, ...body]);
  const crc = crc32Mpeg(section);
  return Uint8Array.from([0, ...section, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff]);
}

const PAT = psiPayload(0x00, 1, [0x00, 0x01, 0xe0 | (PMT_PID >> 8), PMT_PID & 0xff]);
const PMT = psiPayload(0x02, 1, [
  0xe0 | (VIDEO_PID >> 8),
  VIDEO_PID & 0xff, // PCR PID
  0xf0,
  0x00, // no program descriptors
  STREAM_TYPE_H264,
  0xe0 | (VIDEO_PID >> 8),
  VIDEO_PID & 0xff,
  0xf0,
  0x00,
]);

function pesHeader(pts: number): Uint8Array {
  const p = Math.floor(pts) % 2 ** 33;
  const hi = Math.floor(p / 2 ** 30);
  const mid = Math.floor(p / 2 ** 15) & 0x7fff;
  const lo = p & 0x7fff;
  return Uint8Array.from([
    0,
    0,
    1,
    0xe0,
    0,
    0, // video stream 0, unbounded length
    0x80,
    0x80,
    5, // marker bits, PTS only, 5 header bytes
    0x21 | (hi << 1),
    mid >> 7,
    ((mid & 0x7f) << 1) | 1,
    lo >> 7,
    ((lo & 0x7f) << 1) | 1,
  ]);
}

function pcrField(pcr: number): number[] {
  const base = Math.floor(pcr) % 2 ** 33;
  return [
    Math.floor(base / 2 ** 25) & 0xff,
    Math.floor(base / 2 ** 17) & 0xff,
    Math.floor(base / 2 ** 9) & 0xff,
    Math.floor(base / 2) & 0xff,
    ((base & 1) << 7) | 0x7e,
    0,
  ];
}

export interface TsMuxer {
  /**
   * Packets for one picture: `nal` is the slice NAL unit (no start code); `key` pictures get
   * PAT, PMT, SPS and PPS in front so a player can start there. `frameIndex` sets the PTS.
   */
  picture(nal: Uint8Array, key: boolean, frameIndex: number): Buffer;
}

export function createTsMuxer(options: { sps: Uint8Array; pps: Uint8Array; fps: number }): TsMuxer {
  const counters = new Map<number, number>();
  const out: Uint8Array[] = [];

  /** Splits `payload` into packets; the first may carry an adaptation field `firstAf`. */
  function packets(pid: number, payload: Uint8Array, firstAf: number[] | undefined): void {
    let offset = 0;
    let first = true;
    while (offset < payload.length) {
      const afBody = first ? firstAf : undefined; // flags byte and fields, without the length byte
      let afLength = afBody === undefined ? 0 : 1 + afBody.length;
      const remaining = payload.length - offset;
      const take = Math.min(remaining, PACKET - 4 - afLength);
      const stuffing = PACKET - 4 - afLength - take;
      afLength += stuffing;
      const cc = counters.get(pid) ?? 0;
      counters.set(pid, (cc + 1) & 0x0f);
      const packet = new Uint8Array(PACKET).fill(0xff);
      packet[0] = 0x47;
      packet[1] = (first ? 0x40 : 0) | ((pid >> 8) & 0x1f);
      packet[2] = pid & 0xff;
      packet[3] = (afLength > 0 ? 0x30 : 0x10) | cc;
      let o = 4;
      if (afLength > 0) {
        packet[o++] = afLength - 1;
        if (afLength > 1) {
          const body = afBody ?? [0x00];
          packet.set(body, o);
          // Stuffing bytes (0xff) already fill the rest of the field.
        }
        o += afLength - 1;
      }
      packet.set(payload.subarray(offset, offset + take), o);
      offset += take;
      first = false;
      out.push(packet);
    }
  }

  function annexB(nals: Uint8Array[]): Uint8Array {
    const total = nals.reduce((n, nal) => n + START_CODE.length + nal.length, 0);
    const data = new Uint8Array(total);
    let o = 0;
    for (const nal of nals) {
      data.set(START_CODE, o);
      data.set(nal, o + START_CODE.length);
      o += START_CODE.length + nal.length;
    }
    return data;
  }

  return {
    picture(nal, key, frameIndex) {
      if (key) {
        packets(0, PAT, undefined);
        packets(PMT_PID, PMT, undefined);
      }
      const pts = PTS_START + Math.round((frameIndex * 90_000) / options.fps);
      const es = annexB(key ? [AUD, options.sps, options.pps, nal] : [AUD, nal]);
      const header = pesHeader(pts);
      const pes = new Uint8Array(header.length + es.length);
      pes.set(header, 0);
      pes.set(es, header.length);
      // Random access indicator on keyframes, PCR on every picture.
      packets(VIDEO_PID, pes, [(key ? 0x40 : 0) | 0x10, ...pcrField(pts - PCR_LEAD)]);
      const chunk = Buffer.concat(out);
      out.length = 0;
      return chunk;
    },
  };
}
