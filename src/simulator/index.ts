/** Public surface of the Blink cloud simulator. */
export { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from './server.js';
export { createDefaultSeed, createFixtureAccountSeed } from './seed.js';
export {
  clipChunks,
  type ClipIdentity,
  expectedClipThumbnailBytes,
  expectedThumbnailBytes,
  naturalClip,
} from './bytes.js';
export { cameraClipMp4, cameraJpeg, liveTsChunks, liveTsStream } from './media/index.js';
export type { ClipSpec, LiveStreamSpec, SnapSpec } from './media/index.js';
export type { SimControl, CameraStatePatch } from './control.js';
export type { FaultSpec } from './faults.js';
export type { ImmisFault, ImmisStats } from './immis-server.js';
export type { LoggedRequest } from './request-log.js';
export type * from './types.js';
