/**
 * The configuration of roles (issue 15 item 5, server/role.ts): which part of the product a process
 * runs, the gateway role's settings, and what each role needs of the rest of the config.
 */
import { z } from 'zod';

/**
 * all: everything in one process; gateway: the HJ 212 gateway; ingest: the app with its MQTT intake
 * on the partitions this worker owns (server/ingest-role.ts); web: HTTP, socket.io and the officers'
 * and enterprises' work, no intake (which parts each runs: ROLE_PARTS in server/parts/role-parts.ts).
 */
export const ROLES = ['all', 'web', 'ingest', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

/** The HJ 212 gateway role (`--role gateway`, server/ingest/gateway/). */
export const gatewayConfigSchema = z
  .object({
    clientId: z.string().max(64).default(''),
    maxPending: z.number().int().min(1).max(1_000_000).default(10_000),
    registryPollS: z.number().int().min(1).max(3_600).default(5),
  })
  .strict()
  .default({ clientId: '', maxPending: 10_000, registryPollS: 5 });

/**
 * Ingest workers sharing the sources (`--role ingest`, server/cluster/, docs/scale-out.md): how many
 * partitions (fixed for the life of a deployment), this worker's name, how often the leases are
 * checked, whether each partition's session signs in as its own user (Mosquitto with
 * `use_username_as_clientid`: the users `npm run broker:credentials` writes), and how long a
 * partition given up by a live worker may take to finish the readings it took (0: no drain).
 */
export const clusterConfigSchema = z
  .object({
    partitions: z.number().int().min(1).max(1024).default(64),
    worker: z.string().max(64).default(''),
    recheckS: z.number().int().min(1).max(60).default(2),
    usernamePerPartition: z.boolean().default(true),
    drainS: z.number().int().min(0).max(60).default(5),
  })
  .strict()
  .default({ partitions: 64, worker: '', recheckS: 2, usernamePerPartition: true, drainS: 5 });

interface RoleNeeds {
  role: Role;
  mqtt: { url: string; clientId: string };
  database: { url: string };
  influx: { url: string };
  realtime: { redisUrl: string };
  hj212: { enabled: boolean };
  gateway: { clientId: string };
}

/** What a role needs of the rest of the config, as issues of the config schema. */
export function checkRole(c: RoleNeeds, ctx: z.RefinementCtx): void {
  const need = (ok: boolean, path: string[], message: string) => ok || ctx.addIssue({ code: 'custom', path, message });
  if (c.role === 'ingest') {
    need(c.mqtt.url !== '', ['mqtt', 'url'], 'ingest workers read their partitions from a shared broker: set MQTT_URL');
    need(c.database.url !== '', ['database', 'url'], 'ingest workers hold their partitions’ leases in PostgreSQL: set DATABASE_URL');
    // Not the embedded store on the worker's own disk: a reading is acknowledged once stored, and must outlive the machine.
    need(c.influx.url !== '', ['influx', 'url'], 'ingest workers acknowledge a reading once the shared InfluxDB has it: set INFLUX_URL');
  }
  if (c.role === 'web') {
    need(
      c.database.url !== '',
      ['database', 'url'],
      'web processes share sessions, the registry and the alerts in PostgreSQL: set DATABASE_URL',
    );
    need(
      c.realtime.redisUrl !== '',
      ['realtime', 'redisUrl'],
      'web processes share socket.io events and alert numbers through Redis: set REDIS_URL',
    );
    need(c.influx.url !== '', ['influx', 'url'], 'web processes read the telemetry the ingest workers write: set INFLUX_URL');
  }
  if (c.role !== 'gateway') return;
  need(c.mqtt.url !== '', ['mqtt', 'url'], 'the gateway role forwards to a broker: set MQTT_URL');
  need(c.database.url !== '', ['database', 'url'], 'the gateway role reads the registry from the shared database: set DATABASE_URL');
  need(c.hj212.enabled, ['hj212', 'enabled'], 'the gateway role is the HJ 212 TCP listener: it cannot be off');
  need(c.gateway.clientId !== c.mqtt.clientId, ['gateway', 'clientId'], "a gateway must not use the ingest subscriber's client id");
}
