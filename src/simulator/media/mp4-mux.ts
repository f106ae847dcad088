/**
 * A minimal progressive MP4 writer for one H.264 track: ftyp, then moov (so players can start
 * before the end arrives: "fast start"), then one mdat. Synchronous and deterministic (all
 * timestamps zero), so the simulator can serve byte-exact clips. See docs/blink-api.md,
 * "Clips and media".
 */

interface Mp4Sample {
  /** One access unit: a slice NAL unit (no start code); it is written length-prefixed. */
  nal: Uint8Array;
  key: boolean;
}

export interface Mp4Track {
  width: number;
  height: number;
  sps: Uint8Array;
  pps: Uint8Array;
  /** Ticks per second of `frameDuration`. */
  timescale: number;
  frameDuration: number;
  samples: readonly Mp4Sample[];
}

const u8 = (n: number): number[] => [n & 0xff];
const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const MATRIX = [...u32(0x10000), ...u32(0), ...u32(0), ...u32(0), ...u32(0x10000), ...u32(0), ...u32(0), ...u32(0), ...u32(0x40000000)];

function box(type: string, ...parts: (number[] | Uint8Array)[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  out.set(u32(size), 0);
  out.set(ascii(type), 4);
  let o = 8;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const fullBox = (type: string, version: number, flags: number, ...parts: (number[] | Uint8Array)[]): Uint8Array =>
  box(type, [version, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff], ...parts);

/** AVCDecoderConfigurationRecord ('avcC' body): also the WebCodecs `description`. */
function avcDecoderConfig(sps: Uint8Array, pps: Uint8Array): Uint8Array {
  return Uint8Array.from([
    1,
    sps[1] ?? 66,
    sps[2] ?? 0,
    sps[3] ?? 30,
    0xff, // lengthSizeMinusOne = 3
    0xe1, // one SPS
    ...u16(sps.length),
    ...sps,
    1, // one PPS
    ...u16(pps.length),
    ...pps,
  ]);
}

function moov(t: Mp4Track, mdatDataOffset: number): Uint8Array {
  const count = t.samples.length;
  const mediaDuration = count * t.frameDuration;
  const movieDuration = Math.round((mediaDuration * 1000) / t.timescale);
  const keys = t.samples.flatMap((s, i) => (s.key ? [i + 1] : []));
  const avc1 = box(
    'avc1',
    zeros(6),
    u16(1), // reserved, data_reference_index
    zeros(16),
    u16(t.width),
    u16(t.height),
    u32(0x480000),
    u32(0x480000),
    u32(0),
    u16(1), // 72 dpi, reserved, frame_count
    zeros(32),
    u16(0x18),
    u16(0xffff), // compressorname, depth, pre_defined
    box('avcC', avcDecoderConfig(t.sps, t.pps)),
  );
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), avc1),
    fullBox('stts', 0, 0, u32(1), u32(count), u32(t.frameDuration)),
    fullBox('stss', 0, 0, u32(keys.length), ...keys.map(u32)),
    fullBox('stsc', 0, 0, u32(1), u32(1), u32(count), u32(1)),
    fullBox('stsz', 0, 0, u32(0), u32(count), ...t.samples.map((s) => u32(s.nal.length + 4))),
    fullBox('stco', 0, 0, u32(1), u32(mdatDataOffset)),
  );
  const minf = box('minf', fullBox('vmhd', 0, 1, zeros(8)), box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))), stbl);
  const mdia = box(
    'mdia',
    fullBox('mdhd', 0, 0, u32(0), u32(0), u32(t.timescale), u32(mediaDuration), u16(0x55c4), u16(0)), // 'und'
    fullBox('hdlr', 0, 0, u32(0), ascii('vide'), zeros(12), ascii('VideoHandler'), u8(0)),
    minf,
  );
  const tkhd = fullBox(
    'tkhd',
    0,
    3, // enabled, in movie
    u32(0),
    u32(0),
    u32(1),
    u32(0),
    u32(movieDuration),
    zeros(8),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    MATRIX,
    u32(t.width << 16),
    u32(t.height << 16),
  );
  const mvhd = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(1000), u32(movieDuration), u32(0x10000), u16(0x100), zeros(10), MATRIX, zeros(24), u32(2));
  return box('moov', mvhd, box('trak', tkhd, mdia));
}

/** The whole file. */
export function muxMp4(track: Mp4Track): Buffer {
  const ftyp = box('ftyp', ascii('isom'), u32(0x200), ascii('isomiso2avc1mp41'));
  const moovSize = moov(track, 0).length;
  const dataOffset = ftyp.length + moovSize + 8;
  const mdatSize = 8 + track.samples.reduce((n, s) => n + 4 + s.nal.length, 0);
  const parts: Uint8Array[] = [ftyp, moov(track, dataOffset), Uint8Array.from([...u32(mdatSize), ...ascii('mdat')])];
  for (const s of track.samples) parts.push(Uint8Array.from(u32(s.nal.length)), s.nal);
  return Buffer.concat(parts);
}
