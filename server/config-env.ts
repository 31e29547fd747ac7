/**
 * The environment side of the configuration (server/config.ts): each variable, the config path it
 * sets and how its text is parsed. The values then go through the config schema like the YAML's.
 */
import { z } from 'zod';

/**
 * Express `trust proxy`: false (clients connect directly), a number of proxy hops, or the proxies'
 * addresses / CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`). `true` (trust every hop) is
 * refused: any client could then claim any address in X-Forwarded-For.
 */
const proxyAddress = z.union([z.enum(['loopback', 'linklocal', 'uniquelocal']), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
export const trustProxySchema = z.union([z.literal(false), z.number().int().min(1).max(10), z.array(proxyAddress).min(1).max(64)]);
/** TRUST_PROXY: `false`, a hop count, or a comma-separated list of addresses. */
const trustProxyEnv = z
  .string()
  .trim()
  .min(1)
  .transform((t): unknown => (t === 'false' ? false : /^\d+$/.test(t) ? Number(t) : t.split(',').map((a) => a.trim())))
  .pipe(trustProxySchema);

const int = z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number);
const signedInt = z
  .string()
  .trim()
  .regex(/^-?\d+$/, 'must be a whole number')
  .transform(Number);
const bool = z.stringbool();
const str = z.string();

/** Environment variable → config path and how to parse its text. */
export const ENV: Record<string, { path: string[]; parse: z.ZodType }> = {
  ROLE: { path: ['role'], parse: str },
  PORT: { path: ['server', 'port'], parse: int },
  HOST: { path: ['server', 'host'], parse: str },
  METRICS_TOKEN: { path: ['server', 'metricsToken'], parse: str },
  TRUST_PROXY: { path: ['server', 'trustProxy'], parse: trustProxyEnv },
  FORCE_SECURE_COOKIE: { path: ['server', 'forceSecureCookie'], parse: bool },
  DATA_DIR: { path: ['dataDir'], parse: str },
  DATABASE_URL: { path: ['database', 'url'], parse: str },
  LOG_LEVEL: { path: ['log', 'level'], parse: str },
  MQTT_URL: { path: ['mqtt', 'url'], parse: str },
  MQTT_PORT: { path: ['mqtt', 'embeddedPort'], parse: int },
  MQTT_CLIENT_ID: { path: ['mqtt', 'clientId'], parse: str },
  MQTT_USERNAME: { path: ['mqtt', 'username'], parse: str },
  MQTT_PASSWORD: { path: ['mqtt', 'password'], parse: str },
  MQTT_DROP_COUNTER_TOPIC: { path: ['mqtt', 'dropCounterTopic'], parse: str },
  INFLUX_URL: { path: ['influx', 'url'], parse: str },
  INFLUX_DB: { path: ['influx', 'db'], parse: str },
  INFLUX_TOKEN: { path: ['influx', 'token'], parse: str },
  INFLUX_USERNAME: { path: ['influx', 'username'], parse: str },
  INFLUX_PASSWORD: { path: ['influx', 'password'], parse: str },
  INFLUX_CREATE_DB: { path: ['influx', 'createDb'], parse: bool },
  INFLUX_BATCH_SIZE: { path: ['influx', 'batchSize'], parse: int },
  INFLUX_FLUSH_MS: { path: ['influx', 'flushIntervalMs'], parse: int },
  INFLUX_TIMEOUT_MS: { path: ['influx', 'timeoutMs'], parse: int },
  INFLUX_CONCURRENCY: { path: ['influx', 'concurrency'], parse: int },
  INGEST_MAX_PAYLOAD: { path: ['ingest', 'maxPayloadBytes'], parse: int },
  INGEST_MAX_FUTURE_SKEW_S: { path: ['ingest', 'maxFutureSkewS'], parse: int },
  INGEST_MAX_PAST_AGE_H: { path: ['ingest', 'maxPastAgeH'], parse: int },
  INGEST_MAX_BUFFERED: { path: ['ingest', 'maxBufferedReadings'], parse: int },
  SPOOL_SEGMENT_MB: { path: ['spool', 'segmentMb'], parse: int },
  SPOOL_MAX_MB: { path: ['spool', 'maxMb'], parse: int },
  SPOOL_SYNC_MS: { path: ['spool', 'syncIntervalMs'], parse: int },
  SPOOL_ALARM_DEPTH: { path: ['spool', 'alarmDepth'], parse: int },
  SPOOL_MAX_DEPTH_WHILE_UP: { path: ['spool', 'maxDepthWhileUp'], parse: int },
  RETENTION_REALTIME_DAYS: { path: ['retention', 'realtimeDays'], parse: int },
  RETENTION_MINUTE_DAYS: { path: ['retention', 'minuteDays'], parse: int },
  RETENTION_INFLUX_POLICIES: { path: ['retention', 'influxPolicies'], parse: bool },
  RETENTION_PRUNE_INTERVAL_MIN: { path: ['retention', 'pruneIntervalMin'], parse: int },
  REALTIME_BATCH_MS: { path: ['realtime', 'readingBatchMs'], parse: int },
  OFFLINE_AFTER_INTERVALS: { path: ['realtime', 'offlineAfterIntervals'], parse: int },
  REDIS_URL: { path: ['realtime', 'redisUrl'], parse: str },
  HJ212_ENABLED: { path: ['hj212', 'enabled'], parse: bool },
  HJ212_PORT: { path: ['hj212', 'port'], parse: int },
  HJ212_HOST: { path: ['hj212', 'host'], parse: str },
  HJ212_IDLE_TIMEOUT_S: { path: ['hj212', 'idleTimeoutS'], parse: int },
  HJ212_MAX_CONNECTIONS: { path: ['hj212', 'maxConnections'], parse: int },
  HJ212_UTC_OFFSET_MIN: { path: ['hj212', 'utcOffsetMinutes'], parse: signedInt },
  HJ212_SPLIT_TIMEOUT_S: { path: ['hj212', 'splitTimeoutS'], parse: int },
  HJ212_REPLY_REFUSALS: { path: ['hj212', 'replyRefusals'], parse: bool },
  HJ212_ARCHIVE_DAYS: { path: ['hj212', 'archiveRetentionDays'], parse: int },
  HJ212_INSECURE_ALLOW_MISSING_PW: { path: ['hj212', 'allowMissingPw'], parse: bool },
  HJ212_MAX_CONNECTIONS_PER_ADDRESS: { path: ['hj212', 'maxConnectionsPerAddress'], parse: int },
  HJ212_FRAME_DEADLINE_S: { path: ['hj212', 'frameDeadlineS'], parse: int },
  HJ212_ARCHIVE_REFUSALS_PER_MIN: { path: ['hj212', 'archiveRefusalsPerMin'], parse: int },
  HJ212_PASSWORD_GUESSES_PER_MIN: { path: ['hj212', 'passwordGuessesPerMin'], parse: int },
  GATEWAY_CLIENT_ID: { path: ['gateway', 'clientId'], parse: str },
  GATEWAY_MAX_PENDING: { path: ['gateway', 'maxPending'], parse: int },
  GATEWAY_REGISTRY_POLL_S: { path: ['gateway', 'registryPollS'], parse: int },
  CLUSTER_PARTITIONS: { path: ['cluster', 'partitions'], parse: int },
  CLUSTER_WORKER: { path: ['cluster', 'worker'], parse: str },
  CLUSTER_RECHECK_S: { path: ['cluster', 'recheckS'], parse: int },
  CLUSTER_USERNAME_PER_PARTITION: { path: ['cluster', 'usernamePerPartition'], parse: bool },
  CLUSTER_DRAIN_S: { path: ['cluster', 'drainS'], parse: int },
  REGISTRY_FILE: { path: ['registryFile'], parse: str },
  REGISTRY_RESEED: { path: ['registryReseed'], parse: bool },
  RULES_FILE: { path: ['rulesFile'], parse: str },
  AUTH_DEMO_ACCOUNTS: { path: ['auth', 'demoAccounts'], parse: bool },
  AUTH_FORCE_PASSWORD_CHANGE: { path: ['auth', 'forcePasswordChange'], parse: bool },
  O3S_ADMIN_USERNAME: { path: ['auth', 'adminUsername'], parse: str },
  O3S_ADMIN_PASSWORD: { path: ['auth', 'adminPassword'], parse: str },
  INTERNAL_MQTT_PASSWORD: { path: ['auth', 'internalMqttPassword'], parse: str },
  API_TOKEN_BURST: { path: ['auth', 'apiTokens', 'burst'], parse: int },
  API_TOKEN_PER_MINUTE: { path: ['auth', 'apiTokens', 'perMinute'], parse: int },
  RULE_PACK_FILE: { path: ['rulePackFile'], parse: str },
  OZONE_FILE: { path: ['ozoneFile'], parse: str },
  QUALITY_FILE: { path: ['qualityFile'], parse: str },
  MAP_BOUNDARY_FILE: { path: ['map', 'boundaryFile'], parse: str },
  REGISTRY_IMPORT_MAX_MB: { path: ['registryImport', 'maxMb'], parse: int },
  RESPONSE_FAIL_HOURS: { path: ['responses', 'failHours'], parse: int },
  UNLOADING_MIN_PA: { path: ['responses', 'unloading', 'minPa'], parse: int },
  UNLOADING_MIN_MINUTES: { path: ['responses', 'unloading', 'minMinutes'], parse: int },
  RULES_TICK_S: { path: ['rules', 'tickS'], parse: int },
  RULES_SNAPSHOT_S: { path: ['rules', 'snapshotS'], parse: int },
  SIMULATE: { path: ['simulators', 'enabled'], parse: bool },
  SIMULATE_INTERVAL_MS: { path: ['simulators', 'intervalMs'], parse: int },
  ALERT_ESCALATE_AFTER_MIN: { path: ['alerts', 'escalateAfterMin'], parse: int },
  ALERT_NOTIFY_TIMEOUT_MS: { path: ['alerts', 'notify', 'timeoutMs'], parse: int },
  SMTP_HOST: { path: ['alerts', 'notify', 'email', 'host'], parse: str },
  SMTP_PORT: { path: ['alerts', 'notify', 'email', 'port'], parse: int },
  SMTP_SECURITY: { path: ['alerts', 'notify', 'email', 'security'], parse: str },
  SMTP_USERNAME: { path: ['alerts', 'notify', 'email', 'username'], parse: str },
  SMTP_PASSWORD: { path: ['alerts', 'notify', 'email', 'password'], parse: str },
  SMTP_FROM: { path: ['alerts', 'notify', 'email', 'from'], parse: str },
  SMS_ENDPOINT: { path: ['alerts', 'notify', 'sms', 'endpoint'], parse: str },
  SMS_REGION_ID: { path: ['alerts', 'notify', 'sms', 'regionId'], parse: str },
  SMS_ACCESS_KEY_ID: { path: ['alerts', 'notify', 'sms', 'accessKeyId'], parse: str },
  SMS_ACCESS_KEY_SECRET: { path: ['alerts', 'notify', 'sms', 'accessKeySecret'], parse: str },
  MAINTENANCE_AUTO_APPROVE_MAX_H: { path: ['alerts', 'maintenance', 'autoApproveMaxH'], parse: int },
};
