/**
 * zod schemas for every Blink JSON body we read (docs/blink-api.md). Only the fields
 * we use are declared; unknown fields pass. Ids may arrive as numbers or strings and become
 * strings; nulls are treated like missing values. Lists of devices, networks, clips are
 * parsed per item (tolerantArray): an unreadable item is dropped and named, never fatal to
 * the body. snake_case stays in this file.
 */
import { z } from 'zod';
import { BlinkProtocolError } from '../errors.js';
import { TIER_PATTERN } from './hosts.js';
import { tolerantArray } from './tolerant-list.js';

/** Id as number or string → string. */
const Id = z.union([z.number(), z.string().min(1)]).transform((v) => String(v));
/** Optional field that may be null. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
/** Number that may come as a numeric string. */
const Num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const Bool = z.union([z.boolean(), z.number().transform((n) => n !== 0)]);
/** A timestamp string Date.parse can read (a clip with an unreadable time cannot be ordered). */
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)));

/** Parses `data` or raises BlinkProtocolError naming the endpoint and issue paths (never values). */
export function parseBody<T extends z.ZodType>(schema: T, data: unknown, endpoint: string): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const paths = [...new Set(result.error.issues.map((i) => i.path.map(String).join('.') || '(root)'))];
  throw new BlinkProtocolError(endpoint, paths);
}

// ---- OAuth ----

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: opt(Num),
});

export const TwoFactorRequired = z.object({
  tsv_state: opt(z.unknown()),
  tsv_methods: opt(z.array(z.unknown())),
  next_time_in_secs: opt(z.unknown()),
});

export const TwoFactorVerified = z.object({ status: z.literal('auth-completed') });

/** Standard OAuth error body (`invalid_grant` means the refresh token is refused). */
export const OAuthError = z.object({ error: opt(z.string()) });

/** The tier is pasted into the REST host name: only a plain host label passes (hosts.ts). */
export const TierInfo = z.object({ tier: z.string().regex(TIER_PATTERN), account_id: Id });

/** Body of an error or of a 200 that carries Blink's "code" (101 = unauthorized). */
export const CodeBody = z.object({ code: opt(z.unknown()), message: opt(z.unknown()) });

// ---- Homescreen and devices ----

const Signals = z.object({
  lfr: opt(Num),
  wifi: opt(Num),
  temp: opt(Num),
  battery: opt(Num),
});

const Thumbnail = opt(z.union([z.string(), z.number().transform(String)]));

export const HomescreenDevice = z.object({
  id: Id,
  network_id: Id,
  name: z.string(),
  type: opt(z.string()),
  serial: opt(z.string()),
  fw_version: opt(z.union([z.string(), z.number().transform(String)])),
  enabled: opt(Bool),
  status: opt(z.union([z.string(), z.boolean()])),
  battery: opt(z.string()),
  battery_state: opt(z.string()),
  thumbnail: Thumbnail,
  temperature: opt(Num),
  wifi_strength: opt(Num),
  signals: opt(Signals),
  onboarded: opt(Bool),
});
export type HomescreenDevice = z.output<typeof HomescreenDevice>;

export const Homescreen = z.object({
  networks: opt(tolerantArray(z.object({ id: Id, name: z.string(), armed: opt(Bool), time_zone: opt(z.string()) }))),
  sync_modules: opt(
    tolerantArray(
      z.object({
        id: Id,
        network_id: Id,
        name: opt(z.string()),
        status: opt(z.string()),
        serial: opt(z.string()),
        local_storage_enabled: opt(Bool),
        local_storage_status: opt(z.string()),
      }),
    ),
  ),
  cameras: opt(tolerantArray(HomescreenDevice)),
  owls: opt(tolerantArray(HomescreenDevice)),
  doorbells: opt(tolerantArray(HomescreenDevice)),
});
export type Homescreen = z.output<typeof Homescreen>;

export const CameraConfig = z.object({
  camera: z
    .array(
      HomescreenDevice.extend({
        battery_voltage: opt(Num),
      }),
    )
    .min(1),
  signals: opt(Signals),
});

export const CameraSignals = Signals.extend({ temperature: opt(Num) });

export const NetworksList = z.object({
  summary: z.record(z.string(), z.object({ name: z.string(), onboarded: opt(Bool) })),
});

export const CameraUsage = z.object({
  networks: tolerantArray(
    z.object({
      network_id: Id,
      name: opt(z.string()),
      cameras: opt(tolerantArray(z.object({ id: Id, name: z.string() }))),
    }),
  ),
});

export const SyncModules = z.object({
  syncmodule: z.object({ id: Id, network_id: Id, serial: opt(z.string()), status: opt(z.string()), fw_version: opt(z.string()) }),
});

export const NetworkState = z.object({
  network: z.object({ armed: opt(Bool), sync_module_error: opt(Bool), name: opt(z.string()) }),
});

export const OwlConfig = z.object({ enabled: opt(Bool), name: opt(z.string()) });

// ---- Commands ----

/** Any command-like answer. Polling only happens when both id and network_id are present. */
export const CommandStart = z.object({ id: opt(Id), network_id: opt(Id) });

export const CommandStatus = z.object({
  complete: opt(Bool),
  status_code: opt(Num),
  status_msg: opt(z.string()),
});

/**
 * Live view answer (docs/blink-api.md, "Live view"): only `server` and `command_id` are
 * required; `polling_interval` falls back to 15 s when missing or odd.
 */
export const LiveviewStart = z.object({
  server: z.string().min(1),
  command_id: Id,
  polling_interval: opt(Num),
  network_id: opt(Id),
});

/** A command status while live view runs: the entry of our command in `commands[]`. */
export const LiveviewStatus = z.object({
  status_code: opt(Num),
  commands: opt(tolerantArray(z.object({ id: opt(Id), state_condition: opt(z.string()) }))),
});

// ---- Media ----

export const MediaEntry = z.object({
  id: Id,
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted: opt(Bool),
  partial: opt(Bool),
  device: opt(z.string()),
  device_id: Id,
  device_name: z.string(),
  network_id: Id,
  network_name: opt(z.string()),
  source: opt(z.string()),
  thumbnail: opt(z.string()),
  media: z.string(),
  time_zone: opt(z.string()),
});

export const MediaChanged = z.object({
  limit: opt(Num),
  media: opt(tolerantArray(MediaEntry)).transform((m) => m ?? []),
});

export const Notifications = z.object({ notifications: z.record(z.string(), z.boolean()) });

// ---- Local storage ----

export const LocalManifest = z.object({
  manifest_id: opt(Id),
  clips: opt(
    tolerantArray(
      z.object({
        id: Id,
        size: opt(Num),
        camera_name: z.string(),
        created_at: Timestamp,
      }),
    ),
  ),
});
