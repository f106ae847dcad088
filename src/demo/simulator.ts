/**
 * `npm run simulator [-- --port 8080]`: the Blink simulator alone, with the demo account
 * (2FA on), for the CLI (`npm run blink -- login`) or your own client. Prints the two
 * `BLINK_*` values that point at it and every 2FA code it "sends"; a motion clip appears
 * every DEMO_CLIP_EVERY_SECONDS (default 60). Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startBlinkSimulator } from '../simulator/index.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from './banner.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const port = Number(values.port ?? process.env.BLINK_SIM_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`npm run simulator: --port must be 0-65535, not ${values.port ?? ''}\n`);
  process.exit(2);
}
const clipEverySeconds = Math.max(5, Number(process.env.DEMO_CLIP_EVERY_SECONDS) || 60);
const sim = await startBlinkSimulator({ port, host: values.host ?? '127.0.0.1' });
sim.setTwoFactor(DEMO_EMAIL, '412');
const say = (text: string): void => void process.stdout.write(`${text}\n`);
say(
  [
    '',
    `  Blink simulator on ${sim.url}`,
    '',
    '  Point the bot or the CLI at it:',
    `    BLINK_REST_URL=${sim.restUrlTemplate}`,
    `    BLINK_OAUTH_URL=${sim.oauthUrl}`,
    '',
    `  Account: ${DEMO_EMAIL} / ${DEMO_PASSWORD} (2FA on).`,
    '  2FA codes are printed here when Blink "sends" one; a client can also read the pending one:',
    `    curl -s -X POST ${sim.url}/__sim/currentPin -H 'content-type: application/json' -d '{"email":"${DEMO_EMAIL}"}'`,
    `  A motion clip appears every ${clipEverySeconds} s. Ctrl-C stops it.`,
    '',
  ].join('\n'),
);

let lastPin: string | null = null;
const pins = setInterval(() => {
  const pin = sim.currentPin(DEMO_EMAIL);
  if (pin !== null && pin !== lastPin) say(`📧 Blink sent code ${pin} to ${DEMO_EMAIL}`);
  lastPin = pin;
}, 100);
const cameras = [4001, 5001, 6001];
let clips = 0;
const motion = setInterval(() => {
  sim.addClip({ cameraId: cameras[clips++ % cameras.length] ?? 4001, source: 'pir' });
}, clipEverySeconds * 1000);

const stop = (): void => {
  clearInterval(pins);
  clearInterval(motion);
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
