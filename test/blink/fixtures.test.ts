import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { z } from 'zod';
import { extractCsrf } from '../../src/blink/oauth.js';
import * as S from '../../src/blink/schemas.js';

const DIR = fileURLToPath(new URL('../fixtures/blink', import.meta.url));
const load = (f: string): unknown => JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8'));

const cases: [string, z.ZodType][] = [
  ['oauth_token.json', S.TokenResponse],
  ['oauth_token_refreshed.json', S.TokenResponse],
  ['oauth_signin_2fa_required.json', S.TwoFactorRequired],
  ['oauth_2fa_verify.json', S.TwoFactorVerified],
  ['tier_info.json', S.TierInfo],
  ['homescreen.json', S.Homescreen],
  ['networks.json', S.NetworksList],
  ['camera_usage.json', S.CameraUsage],
  ['syncmodules.json', S.SyncModules],
  ['network_update.json', S.NetworkState],
  ['network_status.json', S.NetworkState],
  ['camera_config_catalina.json', S.CameraConfig],
  ['camera_config_catalina_ts_thumbnail.json', S.CameraConfig],
  ['camera_signals.json', S.CameraSignals],
  ['owl_config.json', S.OwlConfig],
  ['command_arm.json', S.CommandStart],
  ['command_disarm.json', S.CommandStart],
  ['command_snap_camera.json', S.CommandStart],
  ['command_snap_owl.json', S.CommandStart],
  ['command_clip_camera.json', S.CommandStart],
  ['command_motion_enable_camera.json', S.CommandStart],
  ['command_status_incomplete.json', S.CommandStatus],
  ['command_status_complete.json', S.CommandStatus],
  ['command_status_failed.json', S.CommandStatus],
  ['command_done.json', S.CodeBody],
  ['liveview_camera.json', S.CommandStart],
  ['notifications_configuration.json', S.Notifications],
  ['notifications_update.json', S.CodeBody],
  ['local_storage_manifest_request.json', S.CommandStart],
  ['local_storage_manifest.json', S.LocalManifest],
  ['local_storage_clip_request.json', S.CommandStart],
  ['media_changed_page1.json', S.MediaChanged],
  ['media_changed_empty.json', S.MediaChanged],
  ['error_unauthorized.json', S.CodeBody],
  ['error_not_found.json', S.CodeBody],
  ['error_app_update_required.json', S.CodeBody],
  ['error_system_busy.json', S.CodeBody],
];

for (const [file, schema] of cases) {
  test(`fixture ${file} parses`, () => {
    S.parseBody(schema, load(file), file);
  });
}

test('ids become strings, numeric-string thumbnails and number firmware are accepted', () => {
  const h = S.parseBody(S.Homescreen, load('homescreen.json'), 'homescreen');
  assert.equal(h.cameras?.[0]?.id, '4001');
  const ts = S.parseBody(S.CameraConfig, load('camera_config_catalina_ts_thumbnail.json'), 'config');
  assert.equal(ts.camera[0]?.thumbnail, '1782561500');
  const m = S.parseBody(S.LocalManifest, load('local_storage_manifest.json'), 'manifest');
  assert.equal(m.clips?.[0]?.size, 2210);
  assert.equal(m.manifest_id, '8001');
});

test('the sign-in page yields its CSRF token', () => {
  assert.equal(extractCsrf(readFileSync(`${DIR}/oauth_signin_page.html`, 'utf8')), 'csrf-4d7e0b19c2a85f36');
  assert.equal(extractCsrf('<script type="application/json" id="other">{"csrf-token":"x"}</script>'), undefined);
});

test('a mismatch names paths only', () => {
  assert.throws(
    () => S.parseBody(S.TierInfo, { tier: 5, account_id: null }, 'users/tier_info'),
    (e: unknown) => {
      assert.ok(e instanceof Error && 'issuePaths' in e);
      assert.deepEqual(e.issuePaths, ['tier', 'account_id']);
      return true;
    },
  );
});
