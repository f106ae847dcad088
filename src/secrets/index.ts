export { KEY_FILE_NAME, type LoadOrCreateKeyOptions, type LoadedKey, loadOrCreateKey } from './key-file.js';
export { type Sealer, createSealer, keyIdOf, keyIdOfSealed } from './sealer.js';
