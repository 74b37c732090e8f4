/**
 * Alert settings (issue 11): how the console reaches members. A JSON file, by default
 * `<data dir>/console/alerts.json` (`tipline console --alerts FILE` to choose another), mode
 * 0600 because it holds the SMTP password and the gateway token. See console/README.md
 * §Alerts for every field.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const email = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  /** implicit: TLS from the first byte (port 465); starttls: STARTTLS required (port 587); none: loopback relays only */
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().max(500).optional(),
  pass: z.string().max(500).optional(),
  from: z.string().min(3).max(300),
});

/** A JSON value whose strings may hold {to}, {text} and {id}. */
const template: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string().max(1000), z.number(), z.boolean(), z.null(), z.array(template).max(20), z.record(z.string().max(100), template)]),
);

const sms = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** sent as `Authorization: Bearer <token>`, or Basic when `auth` is `basic` (token `user:password`) */
  token: z.string().min(1).max(2000).optional(),
  auth: z.enum(['bearer', 'basic']).optional(),
  /** the JSON body; default {"to": "{to}", "text": "{text}"} */
  body: template.optional(),
  timeoutSeconds: z.number().min(1).max(120).optional(),
});

const settingsSchema = z.strictObject({
  email: email.optional(),
  sms: sms.optional(),
  batch: z
    .strictObject({
      size: z.number().int().min(1).max(1000).optional(),
      minDelaySeconds: z.number().min(0).max(3600).optional(),
      maxDelaySeconds: z.number().min(0).max(3600).optional(),
    })
    .optional(),
});

export type EmailSettings = z.infer<typeof email>;
export type SmsSettings = z.infer<typeof sms>;

export interface AlertSettings {
  email?: EmailSettings;
  sms?: SmsSettings;
  batch: { size: number; minDelayMs: number; maxDelayMs: number };
}

/** A settings file the console refuses, with a short reason. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** No channels: alerts are recorded as failed with "not configured" until settings exist. */
export const NO_SETTINGS: AlertSettings = { batch: { size: 20, minDelayMs: 5_000, maxDelayMs: 60_000 } };

/**
 * Validate parsed settings.
 * @throws SettingsError (bad shape, cleartext SMTP to a non-loopback host, basic auth without `user:password`, min delay above max)
 */
export function parseSettings(value: unknown): AlertSettings {
  const r = settingsSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new SettingsError(`alert settings: ${i.path.join('.') || 'file'}: ${i.message}`);
  }
  const s = r.data;
  if (s.email?.tls === 'none' && !LOOPBACK.has(s.email.host)) throw new SettingsError('alert settings: email.tls "none" is allowed for a loopback relay only');
  if (s.email && (s.email.user === undefined) !== (s.email.pass === undefined)) throw new SettingsError('alert settings: email.user and email.pass go together');
  if (s.sms?.auth === 'basic' && !s.sms.token?.includes(':')) throw new SettingsError('alert settings: sms.auth "basic" needs token "user:password"');
  const minDelayMs = Math.round((s.batch?.minDelaySeconds ?? 5) * 1000);
  const maxDelayMs = Math.round((s.batch?.maxDelaySeconds ?? Math.max(60, s.batch?.minDelaySeconds ?? 0)) * 1000);
  if (minDelayMs > maxDelayMs) throw new SettingsError('alert settings: batch.minDelaySeconds is above batch.maxDelaySeconds');
  return {
    ...(s.email ? { email: s.email } : {}),
    ...(s.sms ? { sms: s.sms } : {}),
    batch: { size: s.batch?.size ?? 20, minDelayMs, maxDelayMs },
  };
}

/**
 * Read the settings file; a missing file is no settings (alerts then fail as "not configured").
 * @throws SettingsError (readable by group or others, not JSON, invalid)
 */
export function loadSettings(path: string): AlertSettings {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return NO_SETTINGS;
  }
  if ((mode & 0o077) !== 0) throw new SettingsError(`alert settings ${path} must have mode 0600 (it holds passwords)`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new SettingsError(`alert settings ${path} is not JSON`);
  }
  return parseSettings(value);
}
