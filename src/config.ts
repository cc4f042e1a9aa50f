import { existsSync, readFileSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { parseDataKey, parseKeyList } from './crypto/keys.js';
import { HolidayListError, parseHolidays, SHIPPED_HOLIDAYS } from './domain/holidays.js';
import { parseSlaOverrides } from './domain/sla.js';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from './domain/working-hours.js';

/** An empty variable counts as unset (as in a copied .env.example). */
const optional = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().optional(),
);
const withDefault = <T extends z.ZodType>(schema: T, fallback: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : fallback), schema);

const cronExpr = z.string().refine((v) => cron.validate(v), 'a cron expression such as "*/5 * * * *"');
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Jakarta');
const url = z.string().url('a URL such as http://127.0.0.1:8080');
const adminId = /^(slack|discord|console):[A-Za-z0-9_.-]+$/;
const roleMapEntry = '\\d{5,25}=(agent|tl|spv)(:[a-z0-9][a-z0-9_-]{0,31})?(:(reguler|violet|global|imes))?';
const roleMap = new RegExp(`^${roleMapEntry}(\\s*,\\s*${roleMapEntry})*$`, 'i');
const positiveMinutes = z.coerce.number().int().positive('a whole number of minutes above 0');

const RETENTION_DAYS = 'a whole number of days, 0 or more';

export const configSchema = z.object({
  DATABASE_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .regex(/^(postgres(ql)?:\/\/|memory:\/\/|file:\/\/)/, 'postgres://…, memory:// or file://…')
      .optional(),
  ),
  POSKO_DATA_DIR: withDefault(z.string(), './.posko/data'),
  POSKO_LOCALE: withDefault(z.enum(['id', 'en'], 'id or en'), 'id'),
  POSKO_TIMEZONE: withDefault(timezone, 'Asia/Jakarta'),
  POSKO_ADMINS: withDefault(
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(adminId, 'comma-separated slack:U… / discord:… ids'))),
    '',
  ),
  // Calendar and SLA clock (issue 11.3)
  /** Override SLA hours: "indihome=12,global/violet=4" (service or service/queue); checked here, parsed by the app. */
  POSKO_SLA_HOURS: optional.superRefine((spec, ctx) => {
    const problem = refusal(() => parseSlaOverrides(spec));
    if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^POSKO_SLA_HOURS:\s*/, '') });
  }),
  /** When agents may call customers, in each customer's local time: parsed to minutes after midnight. */
  POSKO_WORKING_HOURS: optional.transform((spec, ctx) => {
    if (!spec) return DEFAULT_WORKING_HOURS;
    try {
      return parseWorkingHours(spec);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** A file of "YYYY-MM-DD name" lines replacing the shipped Indonesian national holidays: parsed to a date → name map. */
  POSKO_HOLIDAYS: optional.transform((path, ctx) => {
    if (!path) return SHIPPED_HOLIDAYS;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `cannot read the holiday file (${(err as NodeJS.ErrnoException).code})`,
      });
      return z.NEVER;
    }
    try {
      return parseHolidays(text);
    } catch (err) {
      if (!(err instanceof HolidayListError)) throw err;
      ctx.addIssue({ code: 'custom', message: `${err.message} in the holiday file` });
      return z.NEVER;
    }
  }),
  /** Remind the assignee when the customer has not been informed for this long (P5.9, A8). */
  POSKO_INFORM_EVERY_MINUTES: withDefault(positiveMinutes, '120'),
  /** Remind the approver of a waiting escalation after this long, and expire it after the limit. */
  POSKO_ESCALATION_REMIND_MINUTES: withDefault(positiveMinutes, '30'),
  POSKO_ESCALATION_EXPIRE_MINUTES: withDefault(positiveMinutes, '240'),
  // The ticket record (issue 11): call attempts, escalation that moves up, reopening.
  /** Failed calls after which a ticket may close as TIDAK-TERHUBUNG without confirmation. */
  POSKO_MAX_ATTEMPTS: withDefault(z.coerce.number().int().min(1, 'a whole number of attempts, 1 or more').max(20), '3'),
  /** Least time between two failed attempts that both count toward POSKO_MAX_ATTEMPTS (0: none). */
  POSKO_ATTEMPT_SPACING_MINUTES: withDefault(
    z.coerce.number().int().min(0, 'a whole number of minutes, 0 or more'),
    '30',
  ),
  /** A request to the team leader unanswered this long moves up to the supervisors. */
  POSKO_ESCALATION_TIMEOUT_MINUTES: withDefault(positiveMinutes, '60'),
  /** The assignee may reopen a ticket this many days after closing; later only a TL or SPV. */
  POSKO_REOPEN_DAYS: withDefault(z.coerce.number().int().min(0, 'a whole number of days, 0 or more'), '7'),
  /**
   * UU PDP: customer name, ID, contact and complaint of tickets closed longer ago than this many
   * days (24 h each, from closing) are erased by the `retention` job; 0 erases every closed ticket.
   */
  POSKO_RETENTION_DAYS: withDefault(
    z.coerce.number(RETENTION_DAYS).int(RETENTION_DAYS).min(0, RETENTION_DAYS).max(36_500, RETENTION_DAYS),
    '365',
  ),
  POSKO_DIGEST_CHANNEL: optional,
  PORT: withDefault(z.coerce.number('a port number 0–65535').int().min(0).max(65535, 'a port number 0–65535'), '3000'),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), url.optional()),
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), url.optional()),
  /** Optional: enrol people not yet on the roster from their Discord server role (the roster still wins). */
  DISCORD_ROLE_MAP: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().regex(roleMap, '"<role id>=<agent|tl|spv>[:<team>[:<queue>]]", comma-separated').optional(),
  ),
  MONITA_URL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), url.optional()),
  MONITA_POLL_CRON: withDefault(cronExpr, '*/5 * * * *'),
  DIGEST_CRON: withDefault(cronExpr, '0 7,15,23 * * *'),
  // Reports (issue 13): where digest charts and CSV exports are written before upload (mode 0600).
  POSKO_REPORTS_DIR: withDefault(z.string(), './.posko/reports'),
  // Encryption at rest (issue 12): customer data sealed with AES-256-GCM; see README "Data protection".
  /** 32 random bytes, base64 (`openssl rand -base64 32`). Embedded PGlite makes one when unset; PostgreSQL requires it. */
  POSKO_DATA_KEY: optional.superRefine((key, ctx) => {
    const problem = key ? refusal(() => parseDataKey(key)) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; 32 random bytes, base64` });
  }),
  /** Keys replaced by POSKO_DATA_KEY, comma-separated, kept until `posko rotate-key` has re-sealed every row. */
  POSKO_DATA_KEY_PREVIOUS: optional.superRefine((list, ctx) => {
    const problem = refusal(() => parseKeyList(list));
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; comma-separated keys of 32 bytes, base64` });
  }),
});

export type Config = z.infer<typeof configSchema>;

/** The error message `fn` throws, or null. */
function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export class ConfigError extends Error {}

/** Values never echoed back in an error line. */
const SECRET = /TOKEN|SECRET|PASSWORD|KEY|DATABASE_URL/;

/**
 * A chat platform half configured is a mistake, not a wish for the console: each rule names the
 * variable that is missing when its companion is set. A Discord token alone is complete: posko
 * asks Discord for the application it belongs to (docs/discord.md).
 */
const COMPANIONS: {
  missing: keyof Config;
  when: (set: (name: keyof Config) => boolean, env: NodeJS.ProcessEnv) => boolean;
  because: string;
}[] = [
  {
    missing: 'SLACK_BOT_TOKEN',
    when: (set) => !set('SLACK_BOT_TOKEN') && set('SLACK_APP_TOKEN'),
    because: 'required with SLACK_APP_TOKEN (Socket Mode)',
  },
  {
    missing: 'SLACK_BOT_TOKEN',
    when: (set) => !set('SLACK_BOT_TOKEN') && set('SLACK_SIGNING_SECRET'),
    because: 'required with SLACK_SIGNING_SECRET (HTTP mode)',
  },
  {
    missing: 'SLACK_SIGNING_SECRET',
    when: (set) => set('SLACK_BOT_TOKEN') && !set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET'),
    because: 'required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
  },
  {
    missing: 'DISCORD_TOKEN',
    when: (set) => !set('DISCORD_TOKEN') && set('DISCORD_APPLICATION_ID'),
    because: 'required with DISCORD_APPLICATION_ID',
  },
  {
    // The key cannot live in a PostgreSQL server's data directory: the operator must give it.
    missing: 'POSKO_DATA_KEY',
    when: (set, env) => !set('POSKO_DATA_KEY') && /^\s*postgres(ql)?:\/\//.test(env.DATABASE_URL ?? ''),
    because: 'required with a PostgreSQL DATABASE_URL (32 random bytes, base64: openssl rand -base64 32)',
  },
];

/**
 * Reads `.env` when present (real environment wins), then validates. Every problem is reported at
 * once, one line each, in the ConfigError's message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && envFile && existsSync(envFile)) process.loadEnvFile(envFile);
  const parsed = configSchema.safeParse(env);
  const problems = new Map<string, string>();
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'config');
      const got = SECRET.test(name) ? '' : ` (got ${JSON.stringify(env[name] ?? '')})`;
      if (!problems.has(name)) problems.set(name, `${name}: ${issue.message}${got}`);
    }
  // On the raw values, so a half-configured platform is named even beside other bad variables.
  const set = (name: keyof Config) => typeof env[name] === 'string' && env[name].trim() !== '';
  for (const rule of COMPANIONS)
    if (rule.when(set, env) && !problems.has(rule.missing))
      problems.set(rule.missing, `${rule.missing}: ${rule.because}`);
  if (problems.size > 0 || !parsed.success) throw new ConfigError([...problems.values()].join('\n'));
  return parsed.data;
}
