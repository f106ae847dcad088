/**
 * Real media for the simulator, made in pure TypeScript (no binaries, nothing downloaded):
 *
 * - `cameraJpeg({ camera, atMs, variant? })` → Buffer: a 640x360 baseline JPEG (~20 KB) of the
 *   camera's yard with its name at the top and the UTC time at the bottom; `variant` (default:
 *   the second) moves the visitor, so every snap differs.
 * - `cameraClipMp4({ camera, startMs, variant?, seconds = 4, fps = 4 })` → Buffer: a playable
 *   H.264 Constrained Baseline MP4, 320x192, `moov` before `mdat`, ~80 KB for 4 s; the clock
 *   at the bottom runs in hundredths.
 * - `liveTsStream({ camera, startMs, seconds, fps = 4, variant? })` → AsyncGenerator<Buffer>:
 *   MPEG-TS with one H.264 track, one chunk per second of video (~40 KB), each chunk starting
 *   with PAT/PMT/SPS/PPS and an IDR, so a viewer can join at any chunk. `seconds` may be
 *   Infinity. It does not pace itself: send a chunk per second. `liveTsChunks` is the same as
 *   a synchronous generator.
 *
 * All output is deterministic: the same spec gives the same bytes.
 */
export { cameraClipMp4 } from './clip.js';
export { cameraJpeg } from './jpeg.js';
export { liveTsChunks, liveTsStream } from './live-stream.js';
