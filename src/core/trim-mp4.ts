/**
 * The first `seconds` of an MP4 as a new MP4 (`moov` first), copying the H.264 packets
 * without re-encoding: a shorter live view when the whole one is over an upload limit.
 */
export async function trimMp4(mp4: Uint8Array, seconds: number): Promise<Uint8Array> {
  // Loaded on first use (a rare, oversized live view), not with the bot (docs/performance.md, "Many accounts").
  const { BufferSource, BufferTarget, EncodedPacketSink, EncodedVideoPacketSource, Input, MP4, Mp4OutputFormat, Output } = await import('mediabunny');
  const input = new Input({ source: new BufferSource(mp4), formats: [MP4] });
  try {
    const track = await input.getPrimaryVideoTrack();
    const config = await track?.getDecoderConfig();
    if (!track || !config || track.codec !== 'avc') throw new Error('not an H.264 MP4');
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
    const source = new EncodedVideoPacketSource('avc');
    output.addVideoTrack(source);
    await output.start();
    let first = true;
    for await (const packet of new EncodedPacketSink(track).packets()) {
      if (packet.timestamp >= seconds) break;
      await source.add(packet, first ? { decoderConfig: config } : undefined);
      first = false;
    }
    await output.finalize();
    const buffer = output.target.buffer;
    if (!buffer) throw new Error('no MP4 written');
    return new Uint8Array(buffer);
  } finally {
    input.dispose();
  }
}
