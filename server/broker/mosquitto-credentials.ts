/**
 * Mosquitto password and ACL files from the registry (`npm run broker:credentials`).
 *
 * Password lines are what `mosquitto_passwd` 2.x writes by default (sha512-pbkdf2):
 *   username:$7$<iterations>$<base64 salt (12 bytes)>$<base64 PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)>
 * checked against `mosquitto_passwd -b` output of Mosquitto 2.0.11 (see the unit test's vector).
 * The ACL mirrors topic-acl.ts for the two kinds of Mosquitto users: the ingest user and loggers.
 * The conf snippet binds client ids to users (`use_username_as_clientid`: a client's id is its
 * username whatever it sent, so nobody can end another user's connection or session by reusing its
 * client id; see client-ids.ts for the embedded broker's rule) and caps the packet size.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOSQUITTO_DROPPED_TOPIC } from '../ingest/broker-drops';
import { GATEWAY_PUBLISH_FILTER, loggerReplyTopics, loggerUploadTopics } from './topic-acl';
import { partitionClientId } from '../cluster/partitioning';
import { HJ212_GATEWAY_TOPIC_FILTER, HJ212_TOPIC_FILTER } from '../domain/hj212/mqtt-topics';
import { DEADLETTER_TOPIC, TOPIC_ROOT } from '../domain/mqtt-contract';

/** mosquitto_passwd uses 101; more costs each CONNECT a little CPU and an attacker a lot. */
export const DEFAULT_PBKDF2_ITERATIONS = 1000;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

export function mosquittoPasswordLine(username: string, password: string, opts: { iterations?: number; salt?: Buffer } = {}): string {
  if (!/^[^:\s]+$/.test(username)) throw new Error(`a Mosquitto username cannot contain ':' or whitespace: "${username}"`);
  const iterations = opts.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  const salt = opts.salt ?? randomBytes(SALT_BYTES);
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a `$7$` line (as Mosquitto does at CONNECT). */
export function verifyMosquittoPasswordLine(line: string, password: string): boolean {
  const m = /^[^:]+:\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(line.trim());
  if (!m) return false;
  const expected = Buffer.from(m[3]!, 'base64');
  const actual = pbkdf2Sync(password, Buffer.from(m[2]!, 'base64'), Number(m[1]), expected.length, 'sha512');
  return actual.equals(expected);
}

export interface MqttCredential {
  username: string;
  password: string;
}

export function mosquittoPasswordFile(entries: readonly MqttCredential[], iterations = DEFAULT_PBKDF2_ITERATIONS): string {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.username)) throw new Error(`duplicate MQTT username "${e.username}"`);
    seen.add(e.username);
  }
  return `${entries.map((e) => mosquittoPasswordLine(e.username, e.password, { iterations })).join('\n')}\n`;
}

/** `%u` is the connecting username: for a logger, its MN. */
const MN = '%u';

/**
 * The users of the ingest workers' partition sessions (`--role ingest`): `o3-ingest-p<n>` for each
 * of the deployment's partitions. Why one user per partition rather than one ingest user allowed
 * every partition's client id: Mosquitto 2.0.11's ACL file grants topics, never client ids, so the
 * only way it binds a client id to a credential is `use_username_as_clientid` (the generated
 * snippet), where a client's id is its username. One shared ingest user would give every partition
 * the same id, and the sessions would end each other. They share the ingest user's password.
 */
export function partitionUsernames(partitions: number): string[] {
  return Array.from({ length: partitions }, (_, p) => partitionClientId(p));
}

/**
 * What a partition session may do: read every source's upload and gateway topics (its subscriptions
 * choose its own sources; Mosquitto's ACL cannot name "the MNs hashing to p", and listing each
 * partition's topics would need the ACL regenerated, and Mosquitto reloaded, before a source added in
 * the product is heard: until then the broker would drop its readings for that session without a
 * word), and write the HJ 212 replies and dead letters.
 */
const PARTITION_ACL = [
  `topic read ${TOPIC_ROOT}/+/data`,
  `topic read ${HJ212_TOPIC_FILTER}`,
  `topic read ${HJ212_GATEWAY_TOPIC_FILTER}`,
  `topic write ${TOPIC_ROOT}/+/hj212/reply`,
  `topic write ${DEADLETTER_TOPIC}`,
];

/**
 * The ACL: the ingest user reads and writes everything under the root (uploads, dead letters,
 * replies); every logger writes only its own upload topics and reads only its own reply topic;
 * the partition users (ingest workers) read the uploads and write replies and dead letters.
 * Nobody else has access (Mosquitto denies what no line grants).
 */
export function mosquittoAclFile(
  ingestUsername: string,
  gatewayUsernames: readonly string[] = [],
  partitionUsers: readonly string[] = [],
): string {
  return [
    '# O3 Sentinel broker ACL, generated by `npm run broker:credentials` from the registry. Do not edit:',
    "# regenerate. Users are the data loggers (username = MN) and the server's ingest user.",
    '',
    '# Every data logger: its own upload topics only, and its own HJ 212 reply topic.',
    ...loggerUploadTopics(MN).map((t) => `pattern write ${t}`),
    ...loggerReplyTopics(MN).map((t) => `pattern read ${t}`),
    '',
    '# The server (ingest, dead letters, HJ 212 replies).',
    `user ${ingestUsername}`,
    `topic readwrite ${TOPIC_ROOT}/#`,
    '# The broker’s count of dropped messages (config mqtt.dropCounterTopic).',
    `topic read ${MOSQUITTO_DROPPED_TOPIC}`,
    '',
    ...gatewayUsernames.flatMap((g) => [
      `# HJ 212 gateway ${g}: publishes the frames it accepted, on the gateway topics only.`,
      `user ${g}`,
      `topic write ${GATEWAY_PUBLISH_FILTER}`,
      '',
    ]),
    ...(partitionUsers.length > 0
      ? ['# Ingest workers: one user per partition session (client id = username), see partitionUsernames.', '']
      : []),
    ...partitionUsers.flatMap((u) => [`user ${u}`, ...PARTITION_ACL, '']),
  ].join('\n');
}

/**
 * Settings for mosquitto.conf. `use_username_as_clientid` applies to the listener it follows:
 * before any `listener` line it would open a default listener on 1883 and leave the others open to
 * client-id takeovers, so the snippet goes after the `listener` line (repeat that line after each).
 */
export function mosquittoConfSnippet(passwordFile: string, aclFile: string, maxPacketBytes?: number): string {
  return [
    'allow_anonymous false',
    `password_file ${passwordFile}`,
    `acl_file ${aclFile}`,
    ...(maxPacketBytes !== undefined
      ? ['# Larger MQTT packets close the connection (ingest.maxPayloadBytes plus headroom).', `max_packet_size ${maxPacketBytes}`]
      : []),
    "# Per listener: a client's id is its username, so nobody can take over another's connection or session.",
    'use_username_as_clientid true',
    '',
  ].join('\n');
}

export interface MosquittoAuthFiles {
  passwordFile: string;
  aclFile: string;
  /** Lines to add to mosquitto.conf, after the `listener` line (`use_username_as_clientid` is per listener). */
  confSnippet: string;
  /** Sources left out because they have no `mqttPassword`. */
  skipped: string[];
}

/**
 * Writes `passwd`, `acl` and `auth.conf` into `dir` for every source with an `mqttPassword`, plus
 * the ingest user and the HJ 212 gateways. Files are mode 0640 (Mosquitto must be able to read them: chown to its user).
 */
export function writeMosquittoAuthFiles(
  dir: string,
  sources: readonly { mn: string; mqttPassword?: string | undefined }[],
  ingest: MqttCredential,
  iterations = DEFAULT_PBKDF2_ITERATIONS,
  fileMode = 0o640,
  maxPacketBytes?: number,
  /** HJ 212 gateways (`--role gateway`): each its own user, publishing on the gateway topics only. */
  gateways: readonly MqttCredential[] = [],
  /** Ingest workers (`--role ingest`): this many partition users, with the ingest user's password (0: none). */
  partitions = 0,
): MosquittoAuthFiles {
  const loggers = sources.flatMap((s) => (s.mqttPassword ? [{ username: s.mn, password: s.mqttPassword }] : []));
  const skipped = sources.filter((s) => !s.mqttPassword).map((s) => s.mn);
  const passwordFile = join(dir, 'passwd');
  const aclFile = join(dir, 'acl');
  mkdirSync(dir, { recursive: true });
  const partitionUsers = partitionUsernames(partitions);
  const workers = partitionUsers.map((username) => ({ username, password: ingest.password }));
  writeFileSync(passwordFile, mosquittoPasswordFile([ingest, ...gateways, ...workers, ...loggers], iterations), { mode: fileMode });
  const acl = mosquittoAclFile(
    ingest.username,
    gateways.map((g) => g.username),
    partitionUsers,
  );
  writeFileSync(aclFile, acl, { mode: fileMode });
  const confSnippet = mosquittoConfSnippet(passwordFile, aclFile, maxPacketBytes);
  writeFileSync(join(dir, 'auth.conf'), confSnippet, { mode: fileMode });
  // writeFileSync's mode applies only to new files: make a rewrite as strict as a first write.
  for (const f of [passwordFile, aclFile, join(dir, 'auth.conf')]) chmodSync(f, fileMode);
  return { passwordFile, aclFile, confSnippet, skipped };
}
