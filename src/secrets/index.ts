export { type LoadedKey, loadOrCreateKey } from './key-file.js';
export { type Sealer, createSealer } from './sealer.js';
