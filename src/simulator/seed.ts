import type { AccountSeed, SimSeed } from './types.js';

const SEC = 1000;

/**
 * The example account (docs/blink-api.md, "Devices"), with every time placed relative to `nowMs`
 * the way the fixtures sit relative to 2026-06-27T12:00:00Z. Local storage is active here
 * (unlike the fixture homescreen) so the /local flow works out of the box.
 */
export function createFixtureAccountSeed(nowMs: number): AccountSeed {
  const at = (secondsAgo: number): number => nowMs - secondsAgo * SEC;
  const nowSec = Math.floor(nowMs / SEC);
  return {
    id: 1001,
    email: 'owner@example.com',
    password: 'correct-horse-battery-staple',
    tier: 'u011',
    twoFactor: 'none',
    userId: 1101,
    clientId: 1201,
    networks: [
      {
        id: 2001,
        name: 'Home',
        armed: true,
        syncModule: {
          id: 3001,
          name: 'Hallway Sync',
          serial: 'G8T1AA0000003001',
          online: true,
          localStorage: true,
          manifestId: '8001',
          usbClips: [
            { id: 7100001, camera: 4001, createdAt: at(50_179), size: 998 },
            { id: 7100002, camera: 5001, createdAt: at(1_200), size: 1_456 },
            { id: 7100003, camera: 4001, createdAt: at(110), size: 2_210 },
          ],
        },
        devices: [
          {
            id: 4001,
            family: 'camera',
            type: 'catalina',
            name: 'Front Door',
            serial: 'G8T1AA0000004001',
            fwVersion: '10.78',
            enabled: true,
            thumbnailTs: nowSec - 100,
            temperature: 70,
            battery: 'ok',
            wifi: 4,
          },
          {
            id: 5001,
            family: 'owl',
            type: 'owl',
            name: 'Living Room',
            serial: 'G8T1AA0000005001',
            fwVersion: '9.81',
            enabled: true,
            thumbnailTs: nowSec - 200,
            temperature: 68,
            wifi: 4,
          },
          {
            id: 6001,
            family: 'lotus',
            type: 'lotus',
            name: 'Porch',
            serial: 'G8T1AA0000006001',
            fwVersion: '14.12',
            enabled: false,
            thumbnailTs: nowSec - 2_700,
            temperature: 65,
            battery: 'ok',
            wifi: 3,
          },
        ],
      },
    ],
    media: [
      { id: 7000001, camera: 4001, createdAt: at(50_179), updatedAt: at(50_151), watched: true },
      {
        id: 7000002,
        camera: 4001,
        createdAt: at(10_667),
        updatedAt: at(7_198),
        deleted: true,
        watched: true,
      },
      { id: 7000003, camera: 6001, createdAt: at(2_700), updatedAt: at(2_669), source: 'button' },
      { id: 7000004, camera: 5001, createdAt: at(1_200), updatedAt: at(1_175), watched: true },
      { id: 7000005, camera: 4001, createdAt: at(110), updatedAt: at(79) },
    ],
  };
}

/** The default world: just the fixture account. */
export function createDefaultSeed(nowMs: number = Date.now()): SimSeed {
  return { accounts: [createFixtureAccountSeed(nowMs)] };
}
