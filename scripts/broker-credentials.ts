/**
 * `npm run broker:credentials -- --out <dir> [--iterations 1000]`: Mosquitto `passwd` ($7$,
 * PBKDF2-SHA512 as mosquitto_passwd 2.x writes) and `acl` files from the registry (the registry
 * store `<dataDir>/registry.db`, or the PostgreSQL database of DATABASE_URL, read-only, so sources
 * added or rotated in the product are in; the YAML `registryFile` only while there is no store yet
 * — it is what the first start seeds), plus an
 * `auth.conf` snippet to paste into mosquitto.conf after the `listener` line (anonymous off, the
 * files, client id = username, packet size cap). Users: every source with an `mqttPassword`
 * (username = its MN), the server's ingest user (MQTT_USERNAME / MQTT_PASSWORD, or the config) and
 * the HJ 212 gateways of GATEWAY_CREDENTIALS (`gw-1:secret1,gw-2:secret2`: each its own user, which
 * may publish on sentinel/v1/+/hj212/gateway only; give each gateway its pair as its MQTT_USERNAME /
 * MQTT_PASSWORD). With `--partitions`, also the ingest workers' partition users `o3-ingest-p<n>`
 * (cluster.partitions of them, with the ingest user's password; mosquitto-credentials.ts says why).
 * See docs/broker-security.md.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { writeMosquittoAuthFiles } from '../server/broker/mosquitto-credentials';
import { maxPacketBytes } from '../server/broker/packet-size-guard';
import { ConfigError, loadConfig } from '../server/config';
import { formatZodIssues } from '../server/domain/zod-issues';
import { readRegistry } from '../server/registry/registry-read';
import { describeLocation } from '../server/storage/sql/database';

const args = z
  .object({
    out: z.string().min(1, '--out <dir> is required'),
    iterations: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(10_000_000)).default(1000),
    partitions: z.boolean().default(false),
  })
  .safeParse(parseArgs({ options: { out: { type: 'string' }, iterations: { type: 'string' }, partitions: { type: 'boolean' } } }).values);

/** GATEWAY_CREDENTIALS: `user:password` pairs, comma-separated (passwords of 8+ characters, no comma). */
const gatewaysEnv = z
  .string()
  .default('')
  .transform((t) =>
    t
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[^:\s]+:[^,]{8,}$/, 'each gateway is user:password (8+ characters)')
        .transform((p) => ({ username: p.slice(0, p.indexOf(':')), password: p.slice(p.indexOf(':') + 1) })),
    ),
  )
  .safeParse(process.env.GATEWAY_CREDENTIALS);

function fail(message: string): never {
  process.stderr.write(
    `broker:credentials: ${message}\nusage: npm run broker:credentials -- --out <dir> [--iterations 1000] [--partitions]\n`,
  );
  process.exit(2);
}

if (!args.success) fail(formatZodIssues(args.error, { root: 'args' }));
if (!gatewaysEnv.success) fail(formatZodIssues(gatewaysEnv.error, { root: 'GATEWAY_CREDENTIALS' }));
const gateways = gatewaysEnv.data;

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
const { username, password } = config.mqtt;
if (!username || password.length < 8) fail('set MQTT_USERNAME and MQTT_PASSWORD (8+ characters) for the server’s ingest user');

const read = await readRegistry(config).catch((err: unknown) => fail(`cannot read the registry: ${(err as Error).message}`));
const { sources } = read.registry;
const dir = resolve(args.data.out);
const files = writeMosquittoAuthFiles(
  dir,
  sources,
  { username, password },
  args.data.iterations,
  undefined,
  maxPacketBytes(config.ingest.maxPayloadBytes),
  gateways,
  args.data.partitions ? config.cluster.partitions : 0,
);
const users = sources.length - files.skipped.length;
const origin =
  read.from === 'store'
    ? `registry: the store ${read.file} (version ${read.version})`
    : `registry: ${read.file} (no registry store in ${config.database.url ? describeLocation(config.database.url) : config.dataDir} yet: the YAML its first start seeds)`;
process.stdout.write(
  [
    origin,
    `wrote ${files.passwordFile} (${users} data loggers + ingest user "${username}"` +
      `${gateways.length ? ` + HJ 212 gateways ${gateways.map((g) => `"${g.username}"`).join(', ')}` : ''}` +
      `${args.data.partitions ? ` + ${config.cluster.partitions} ingest partition users "o3-ingest-p0"… (the ingest password)` : ''})`,
    `wrote ${files.aclFile}`,
    `wrote ${resolve(dir, 'auth.conf')}: paste it into mosquitto.conf after the listener line:`,
    ...files.confSnippet
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
    '(use_username_as_clientid applies to the listener it follows: repeat it after every listener line)',
    ...(files.skipped.length ? [`no mqttPassword, left out (cannot connect): ${files.skipped.join(', ')}`] : []),
    'then make the files readable by the mosquitto user and restart it (kill -HUP reloads passwd and acl only).',
    '',
  ].join('\n'),
);
