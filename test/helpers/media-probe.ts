import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input, Mp4InputFormat, MpegTsInputFormat } from 'mediabunny';

/** What a test needs to know about a video file, read with mediabunny (no ffmpeg). */
export interface VideoProbe {
  /** 'mp4', 'mpegts', or mediabunny's name of another container. */
  container: string;
  /** 'avc' for H.264. */
  codec: string | null;
  /** e.g. 'avc1.42c01e'. */
  codecString: string | null;
  width: number;
  height: number;
  /** From the first picture's start to the last picture's end (a TS may start at any PTS). */
  durationSeconds: number;
  frames: number;
  keyFrames: number;
  /** Bytes of the first (key) picture. */
  firstFrameBytes: number;
  /** MP4 only: the `moov` box comes before `mdat` (plays while downloading). */
  hasMoovFirst: boolean;
}

/** Top-level MP4 box types in file order (empty for anything that is not an ISO BMFF file). */
export function topLevelBoxes(bytes: Uint8Array): string[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: string[] = [];
  let offset = 0;
  while (offset + 8 <= view.length) {
    const size = view.readUInt32BE(offset);
    types.push(view.toString('latin1', offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return types;
}

export async function probeVideo(bytes: Uint8Array): Promise<VideoProbe> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  try {
    const format = await input.getFormat();
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error(`no video track in ${format.name}`);
    let frames = 0;
    let keyFrames = 0;
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    let firstFrameBytes = 0;
    for await (const packet of new EncodedPacketSink(track).packets()) {
      if (frames === 0) firstFrameBytes = packet.byteLength;
      frames++;
      if (packet.type === 'key') keyFrames++;
      start = Math.min(start, packet.timestamp);
      end = Math.max(end, packet.timestamp + packet.duration);
    }
    const boxes = topLevelBoxes(bytes);
    const moov = boxes.indexOf('moov');
    const mdat = boxes.indexOf('mdat');
    return {
      container: format instanceof Mp4InputFormat ? 'mp4' : format instanceof MpegTsInputFormat ? 'mpegts' : format.name,
      codec: await track.getCodec(),
      codecString: await track.getCodecParameterString(),
      width: await track.getCodedWidth(),
      height: await track.getCodedHeight(),
      durationSeconds: frames === 0 ? 0 : end - start,
      frames,
      keyFrames,
      firstFrameBytes,
      hasMoovFirst: moov >= 0 && mdat > moov,
    };
  } finally {
    input.dispose();
  }
}
