/** Reads an MP4 the way a player would: top-level box order, video track, duration. */
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';

export interface Mp4Facts {
  boxes: string[];
  format: string;
  codec: string | null;
  durationSeconds: number;
  width: number;
  height: number;
}

export async function mp4Facts(bytes: Uint8Array): Promise<Mp4Facts> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at);
    boxes.push(Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1'));
    if (size < 8) break;
    at += size;
  }
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    return {
      boxes,
      format: (await input.getFormat()).name,
      codec: track?.codec ?? null,
      durationSeconds: track ? await track.computeDuration() : 0,
      width: track?.codedWidth ?? 0,
      height: track?.codedHeight ?? 0,
    };
  } finally {
    input.dispose();
  }
}
