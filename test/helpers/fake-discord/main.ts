// Runs the fake as its own process (for benchmarks): prints one JSON line with apiRoot and
// the control URL, serves /__fake/… for control, and stops on SIGTERM or SIGINT.
// Config via env: FAKE_DISCORD_CONFIG = JSON of FakeDiscordOptions (optional).
import { z } from 'zod';
import { startFakeDiscord } from './index.js';

const configSchema = z.object({
  applicationId: z.string().optional(),
  botToken: z.string().optional(),
  botUserId: z.string().optional(),
  heartbeatIntervalMs: z.number().optional(),
  interactionDeadlineMs: z.number().optional(),
  port: z.number().optional(),
  keepAttachmentBytesUpTo: z.number().optional(),
  guilds: z
    .array(z.object({ id: z.string(), name: z.string().optional(), channels: z.array(z.object({ id: z.string(), name: z.string(), type: z.number() })) }))
    .optional(),
});

const raw = process.env.FAKE_DISCORD_CONFIG;
const config = configSchema.parse(raw === undefined || raw === '' ? {} : JSON.parse(raw));
const fake = await startFakeDiscord(config);
process.stdout.write(
  `${JSON.stringify({ apiRoot: fake.apiRoot, controlRoot: fake.apiRoot.replace(/\/api$/, '/__fake'), gatewayUrl: fake.gatewayUrl, applicationId: fake.applicationId, botToken: fake.botToken })}\n`,
);

const stop = (): void => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
