/**
 * Configuration: config/default.yaml (or CONFIG_FILE), overridden by environment variables, then
 * the registry, rule pack and district boundary it names. Everything is validated with zod; `loadConfig` collects
 * every problem and throws one ConfigError listing them all, before any I/O is started.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loggersWithoutPassword, registrySchema, type Registry } from './domain/registry';
import { limitPackSchema, type LimitPack } from './domain/limit-pack';
import { parseRulePack, RulePackError, type RulePack } from './domain/rule-pack';
import { ozoneRulesSchema, type OzoneRules } from './control/ozone-rules';
import { qualityRulesSchema, type QualityRules } from './domain/quality';
import type { CityMap } from './domain/city-map';
import { BoundaryError, parseBoundary } from './domain/city-map-schema';
import { zodIssueLines } from './domain/zod-issues';
import { NOTIFY_FORMATS, notifyTargetNameSchema, webhookUrlSchema } from './domain/notify-target';
import { isEmailAddress, isSmtpHost, SMTP_SECURITY } from './domain/notify-channels';
import { ENV, trustProxySchema } from './config-env';
import { checkRole, clusterConfigSchema, gatewayConfigSchema, ROLES } from './config-role';
import { responsesConfigSchema } from './config-responses';
import { DEFAULT_RETENTION, retentionConfigSchema, retentionProblem } from './domain/retention';

/** The SMTP server email targets use unless they name their own (issue 21); host '' = none. */
const smtpConfigSchema = z
  .object({
    host: z.string().trim().max(253),
    port: z.number().int().min(1).max(65_535),
    security: z.enum(SMTP_SECURITY),
    username: z.string().max(256),
    password: z.string().max(256),
    from: z.string().trim().max(254),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.host === '') return;
    if (!isSmtpHost(v.host)) ctx.addIssue({ code: 'custom', path: ['host'], message: 'not a valid host name' });
    if (!isEmailAddress(v.from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'the sender address is required with a host' });
  })
  .default({ host: '', port: 465, security: 'tls', username: '', password: '', from: '' });

/** Aliyun SMS (issue 21): the endpoint (a local server in the tests) and the AccessKey; no key = no SMS. */
const smsConfigSchema = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }),
    regionId: z.string().trim().min(1).max(64),
    accessKeyId: z.string().trim().max(128),
    accessKeySecret: z.string().max(256),
  })
  .strict()
  .default({ endpoint: 'https://dysmsapi.aliyuncs.com/', regionId: 'cn-hangzhou', accessKeyId: '', accessKeySecret: '' });

const configSchema = z
  .object({
    role: z.enum(ROLES).default('all'),
    server: z
      .object({
        port: z.number().int().min(0).max(65535),
        host: z.string().min(1),
        metricsToken: z.string(),
        trustProxy: trustProxySchema.default(false),
        forceSecureCookie: z.boolean().default(false),
      })
      .strict(),
    dataDir: z.string().min(1),
    database: z
      .object({ url: z.union([z.literal(''), z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL (or empty)' })]) })
      .strict()
      .default({ url: '' }),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }).strict(),
    mqtt: z
      .object({
        url: z.union([z.literal(''), z.url({ protocol: /^(mqtts?|wss?|tcp)$/ })]),
        embeddedPort: z.number().int().min(0).max(65535),
        clientId: z.string().min(1).max(64),
        username: z.string(),
        password: z.string(),
        dropCounterTopic: z.string().max(200),
      })
      .strict(),
    influx: z
      .object({
        url: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
        db: z.string().regex(/^[A-Za-z0-9_-]+$/),
        token: z.string(),
        username: z.string(),
        password: z.string(),
        createDb: z.boolean(),
        batchSize: z.number().int().min(1).max(100_000),
        flushIntervalMs: z.number().int().min(1).max(60_000),
        timeoutMs: z.number().int().min(100).max(600_000),
        concurrency: z.number().int().min(1).max(16),
      })
      .strict(),
    ingest: z
      .object({
        maxPayloadBytes: z.number().int().min(256),
        maxFutureSkewS: z.number().int().min(0),
        maxPastAgeH: z.number().int().min(0).max(87_600),
        maxBufferedReadings: z.number().int().min(100),
      })
      .strict(),
    spool: z
      .object({
        segmentMb: z.number().int().min(1).max(1024),
        maxMb: z.number().int().min(16),
        syncIntervalMs: z.number().int().min(0).max(60_000),
        alarmDepth: z.number().int().min(1),
        maxDepthWhileUp: z.number().int().min(1),
      })
      .strict(),
    /** How long each data kind is kept, and the product's own pruning (issue 20; server/domain/retention.ts). */
    retention: retentionConfigSchema.default(DEFAULT_RETENTION),
    realtime: z
      .object({
        readingBatchMs: z.number().int().min(50).max(60_000),
        offlineAfterIntervals: z.number().int().min(1).max(1000),
        redisUrl: z.union([z.literal(''), z.url({ protocol: /^rediss?$/ })]),
      })
      .strict(),
    hj212: z
      .object({
        enabled: z.boolean(),
        port: z.number().int().min(0).max(65535),
        host: z.string().min(1),
        idleTimeoutS: z.number().int().min(5).max(86_400),
        maxConnections: z.number().int().min(1).max(100_000),
        utcOffsetMinutes: z.number().int().min(-720).max(840),
        splitTimeoutS: z.number().int().min(1).max(3_600),
        replyRefusals: z.boolean(),
        archiveRetentionDays: z.number().int().min(0),
        allowMissingPw: z.boolean(),
        maxConnectionsPerAddress: z.number().int().min(1).max(100_000),
        frameDeadlineS: z.number().int().min(1).max(3_600),
        archiveRefusalsPerMin: z.number().int().min(0).max(100_000),
        passwordGuessesPerMin: z.number().int().min(0).max(100_000),
      })
      .strict(),
    gateway: gatewayConfigSchema,
    cluster: clusterConfigSchema,
    registryFile: z.string().min(1),
    registryReseed: z.boolean().default(false),
    rulesFile: z.string().min(1),
    rulePackFile: z.string().min(1),
    ozoneFile: z.string().min(1).default('config/rules/ozone.yaml'),
    /** Data quality (issue 19): transmission pass marks and the HJ 75 comparison criteria. */
    qualityFile: z.string().min(1).default('config/rules/quality.yaml'),
    map: z
      .object({
        boundaryFile: z.string().min(1),
        nameProperty: z.string().min(1).max(64).default('name'),
        city: z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(60) }).strict(),
        center: z
          .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
          .nullable()
          .default(null),
        zoom: z.number().min(0.2).max(20).default(1.1),
      })
      .strict()
      .default({
        boundaryFile: 'config/map/chaoyang.geo.json',
        nameProperty: 'name',
        city: { zh: '朝阳市', en: 'Chaoyang' },
        center: null,
        zoom: 1.1,
      }),
    /** Heavy-pollution responses (issue 18): server/config-responses.ts. */
    responses: responsesConfigSchema,
    registryImport: z
      .object({
        maxMb: z.number().positive().max(200),
        bounds: z
          .object({
            west: z.number().min(-180).max(180),
            south: z.number().min(-90).max(90),
            east: z.number().min(-180).max(180),
            north: z.number().min(-90).max(90),
          })
          .strict()
          .refine((b) => b.west < b.east && b.south < b.north, 'bounds need west < east and south < north')
          .nullable(),
      })
      .strict()
      .default({ maxMb: 20, bounds: null }),
    /**
     * Grade downgrade proposals (issue 18 item 4; docs/reduction-lists.md): an enterprise with
     * measure-noncompliance alerts in `failedResponses` different responses within `windowDays`
     * gets a proposal of its grade one level lower, for an officer to confirm or dismiss.
     */
    gradeDowngrade: z
      .object({
        failedResponses: z.number().int().min(1).max(20).default(2),
        windowDays: z.number().int().min(1).max(1095).default(365),
      })
      .strict()
      .default({ failedResponses: 2, windowDays: 365 }),
    auth: z
      .object({
        demoAccounts: z.boolean(),
        forcePasswordChange: z.boolean().default(true),
        adminUsername: z.string().max(64),
        adminPassword: z.string().max(256),
        internalMqttPassword: z.string().max(256),
        apiTokens: z
          .object({ burst: z.number().int().min(1).max(100_000), perMinute: z.number().int().min(1).max(1_000_000) })
          .strict()
          .default({ burst: 60, perMinute: 120 }),
      })
      .strict(),
    rules: z.object({ tickS: z.number().int().min(1).max(600), snapshotS: z.number().int().min(1).max(3_600) }).strict(),
    simulators: z.object({ enabled: z.boolean(), intervalMs: z.number().int().min(100) }).strict(),
    alerts: z
      .object({
        escalateAfterMin: z.number().int().min(1).max(10_080),
        checkIntervalS: z.number().int().min(1).max(3_600),
        maintenance: z.object({ autoApproveMaxH: z.number().min(0).max(744), officerBackdateMaxH: z.number().min(0).max(168) }).strict(),
        notify: z
          .object({
            targets: z
              .array(
                z
                  .object({
                    name: notifyTargetNameSchema,
                    url: webhookUrlSchema,
                    format: z.enum(NOTIFY_FORMATS),
                  })
                  .strict(),
              )
              .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'target names must be unique'),
            timeoutMs: z.number().int().min(100).max(120_000),
            retryBaseMs: z.number().int().min(100),
            retryMaxMs: z.number().int().min(100),
            maxAgeH: z.number().min(0.01),
            pollIntervalMs: z.number().int().min(50).max(600_000),
            email: smtpConfigSchema,
            sms: smsConfigSchema,
          })
          .strict(),
      })
      .strict(),
  })
  .strict()
  .superRefine(checkRole);

export type AppConfig = z.infer<typeof configSchema> & {
  registry: Registry;
  limits: LimitPack;
  rulePack: RulePack;
  ozone: OzoneRules;
  quality: QualityRules;
  /** The district map served at GET /api/map (map.*). */
  cityMap: CityMap;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const describe = (source: string, e: z.ZodError): string[] => zodIssueLines(e, { prefix: source });

function readYaml(file: string, problems: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return undefined;
  }
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Loads and validates everything; relative paths resolve against `root`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const file = resolve(root, env.CONFIG_FILE ?? 'config/default.yaml');
  const raw = (readYaml(file, problems) ?? {}) as Record<string, unknown>;

  for (const [name, { path, parse }] of Object.entries(ENV)) {
    const text = env[name];
    if (text === undefined) continue;
    const parsed = parse.safeParse(text);
    if (parsed.success) setPath(raw, path, parsed.data);
    else problems.push(`env ${name}="${text}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }

  const base = configSchema.safeParse(raw);
  if (!base.success) problems.push(...describe(file, base.error));
  const retention = base.success ? retentionProblem(base.data.retention, base.data.ingest.maxPastAgeH) : null;
  if (retention) problems.push(`${file}: ${retention}`);
  if (!base.success || problems.length > 0) throw new ConfigError(problems);

  const registryFile = resolve(root, base.data.registryFile);
  const rulesFile = resolve(root, base.data.rulesFile);
  const registry = registrySchema.safeParse(readYaml(registryFile, problems));
  if (!registry.success) problems.push(...describe(registryFile, registry.error));
  const noPw = registry.success && !base.data.hj212.allowMissingPw ? loggersWithoutPassword(registry.data) : [];
  if (noPw.length > 0) {
    problems.push(
      `${registryFile}: ${noPw.length} source(s) without a logger password (pw): ${noPw.join(', ')}. Give each its own ` +
        '(npx tsx scripts/logger-password.ts), or accept frames from anyone for them with hj212.allowMissingPw: true ' +
        '(env HJ212_INSECURE_ALLOW_MISSING_PW=true; insecure)',
    );
  }
  const limits = limitPackSchema.safeParse(readYaml(rulesFile, problems));
  if (!limits.success) problems.push(...describe(rulesFile, limits.error));
  const rulePackFile = resolve(root, base.data.rulePackFile);
  let rulePack: RulePack | null = null;
  try {
    rulePack = parseRulePack(readYaml(rulePackFile, problems));
  } catch (err) {
    if (!(err instanceof RulePackError)) throw err;
    problems.push(...err.issues.map((i) => `${rulePackFile}: ${i}`));
  }
  const ozoneFile = resolve(root, base.data.ozoneFile);
  const ozone = ozoneRulesSchema.safeParse(readYaml(ozoneFile, problems));
  if (!ozone.success) problems.push(...describe(ozoneFile, ozone.error));
  const qualityFile = resolve(root, base.data.qualityFile);
  const quality = qualityRulesSchema.safeParse(readYaml(qualityFile, problems));
  if (!quality.success) problems.push(...describe(qualityFile, quality.error));
  const boundaryFile = resolve(root, base.data.map.boundaryFile);
  const boundary = readBoundary(boundaryFile, base.data.map.nameProperty, problems);
  if (!registry.success || !limits.success || !rulePack || !ozone.success || !quality.success || !boundary || problems.length > 0) {
    throw new ConfigError(problems);
  }

  return {
    ...base.data,
    dataDir: resolve(root, base.data.dataDir),
    registryFile,
    rulesFile,
    rulePackFile,
    registry: registry.data,
    limits: limits.data,
    rulePack,
    ozoneFile,
    ozone: ozone.data,
    qualityFile,
    quality: quality.data,
    map: { ...base.data.map, boundaryFile },
    cityMap: { city: base.data.map.city, center: base.data.map.center, zoom: base.data.map.zoom, boundary },
  };
}

/** Largest boundary file read: the outlines every dashboard downloads. */
const MAX_BOUNDARY_BYTES = 8 * 1024 * 1024;

/** The district boundary (GeoJSON) named by map.boundaryFile, or undefined with its problems recorded. */
function readBoundary(file: string, nameProperty: string, problems: string[]): CityMap['boundary'] | undefined {
  let text: string;
  try {
    if (statSync(file).size > MAX_BOUNDARY_BYTES) {
      problems.push(`${file}: larger than ${MAX_BOUNDARY_BYTES / 1024 / 1024} MB; simplify the district outlines`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return undefined;
  }
  try {
    return parseBoundary(JSON.parse(text) as unknown, nameProperty);
  } catch (err) {
    if (err instanceof BoundaryError) problems.push(...err.issues.map((i) => `${file}: ${i}`));
    else problems.push(`${file}: not JSON (${(err as Error).message})`);
    return undefined;
  }
}
