/**
 * MPEG-TS in, MP4 out, in pure TypeScript (mediabunny): the H.264 packets are copied, never
 * re-encoded, into an MP4 whose `moov` comes first so phones play it while it loads.
 *
 * Memory stays bounded: TS bytes flow through a small queue straight into the demuxer as they
 * arrive (nothing holds the whole TS); the MP4 is built once, in memory, and is the only copy
 * of the video. Timestamps are rebased so the clip starts at 0, and the clip starts at the
 * first key frame (what comes before it cannot be decoded).
 */
import { BufferTarget, EncodedPacketSink, EncodedVideoPacketSource, Input, MPEG_TS, Mp4OutputFormat, Output, ReadableStreamSource } from 'mediabunny';
import { BlinkLiveError } from '../../errors.js';
import type { LiveClip } from '../types.js';

type Mp4Clip = LiveClip;

export interface TsToMp4 {
  /** Feeds TS bytes. Returns false when the queue is full: wait for `onDrain` before more. */
  write(chunk: Uint8Array): boolean;
  /** No more input: the MP4 is finished with what came so far. */
  end(): void;
  /** Stops and discards everything. */
  abort(reason: unknown): void;
  /** The finished MP4 (after `end`, or once `maxSeconds` of video were copied). */
  readonly result: Promise<Mp4Clip>;
}

export interface TsToMp4Options {
  /** Stop once this much video was copied. */
  maxSeconds: number;
  /** Called with the seconds of video copied so far, at most once per whole second. */
  onSeconds?: (seconds: number) => void;
  /** Called once `maxSeconds` of video were copied: the input may stop. */
  onTarget?: () => void;
  /** Called when the queue has room again after `write` returned false. */
  onDrain?: () => void;
  /** Queued TS bytes before `write` asks the caller to wait. Default 1 MiB. */
  highWaterBytes?: number;
}

/** Demuxer look-back cache; the TS demuxer reads forwards, so little is needed. */
const DEMUX_CACHE_BYTES = 4 << 20;

export function createTsToMp4(options: TsToMp4Options): TsToMp4 {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        options.onDrain?.();
      },
    },
    { highWaterMark: options.highWaterBytes ?? 1 << 20, size: (chunk) => chunk.byteLength },
  );
  const input = new Input({
    source: new ReadableStreamSource(stream, { maxCacheSize: DEMUX_CACHE_BYTES, handleUnhandledError: () => undefined }),
    formats: [MPEG_TS],
  });

  async function run(): Promise<Mp4Clip> {
    try {
      const track = await input.getPrimaryVideoTrack();
      if (track?.codec !== 'avc') throw new BlinkLiveError('garbage', 'The live stream carried no H.264 video');
      const config = await track.getDecoderConfig();
      if (!config) throw new BlinkLiveError('garbage', 'The live stream carried no H.264 decoder configuration');
      const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
      const source = new EncodedVideoPacketSource('avc');
      output.addVideoTrack(source);
      await output.start();
      let start: number | undefined;
      let last = 0;
      let reported = 0;
      let first = true;
      for await (const packet of new EncodedPacketSink(track).packets()) {
        if (start === undefined) {
          if (packet.type !== 'key') continue;
          start = packet.timestamp;
        }
        const at = packet.timestamp - start;
        if (at < 0) continue;
        if (at >= options.maxSeconds) {
          options.onTarget?.();
          break;
        }
        await source.add(packet.clone({ timestamp: at }), first ? { decoderConfig: config } : undefined);
        first = false;
        last = Math.max(last, at + packet.duration);
        if (Math.floor(last) > reported) {
          reported = Math.floor(last);
          options.onSeconds?.(reported);
        }
      }
      if (start === undefined) throw new BlinkLiveError('garbage', 'The live stream carried no key frame');
      await output.finalize();
      const buffer = output.target.buffer;
      if (!buffer) throw new BlinkLiveError('garbage', 'The live stream produced no MP4');
      return { mp4: new Uint8Array(buffer), durationSeconds: last, width: track.codedWidth, height: track.codedHeight };
    } catch (error) {
      if (error instanceof BlinkLiveError) throw error;
      throw new BlinkLiveError('garbage', 'The live stream could not be read as MPEG-TS video', { cause: error });
    } finally {
      input.dispose();
    }
  }

  const result = run();
  // The caller may abort before awaiting `result`.
  result.catch(() => undefined);
  return {
    write(chunk) {
      if (closed) return true;
      try {
        controller.enqueue(chunk);
      } catch {
        // The demuxer stopped reading (target reached or failed): the rest is not needed.
        closed = true;
        return true;
      }
      return (controller.desiredSize ?? 1) > 0;
    },
    end() {
      if (closed) return;
      closed = true;
      try {
        controller.close();
      } catch {
        // Already cancelled by the demuxer.
      }
    },
    abort(reason) {
      if (closed) return;
      closed = true;
      try {
        controller.error(reason);
      } catch {
        // Already cancelled by the demuxer.
      }
      input.dispose();
    },
    result,
  };
}
