export { type LoadedKey, loadOrCreateKey, writeKeyTempFile } from './key-file.js';
export { type Sealer, createSealer } from './sealer.js';
