/**
 * Which role runs which part (issue 15 item 5; docs/scale-out.md "What runs where"): the one place
 * that says it. server/app.ts composes the parts a role lists, in this order, and stops them in
 * reverse; server/role.ts starts the role.
 *
 *   core      registry, auth, notification targets, the jobs lease, the alert state and service
 *             (outbox delivery and escalation on the lease's holder), telemetry store and writer,
 *             the rule book, reports (the rollup written only where the readings are heard), quality
 *   services  control centre and campaigns, warnings, facility records, reduction lists, responses,
 *             grade proposals, cases (their sweeps, reminders and verifiers on the lease's holder)
 *   jobs      timed judges over every source: ambient alerts, unloading watch, automatic cases (on
 *             the lease's holder: one process of a cluster, whichever role took it)
 *   intake    the MQTT intake and HJ 212 listener, the reading pipeline, the rules on the clock, the
 *             facility record rules, the transport watch (an ingest worker: its partitions only)
 *   front     HTTP and socket.io: the API, health, readiness, metrics
 *   gateway   the HJ 212 gateway, alone (server/ingest/gateway/)
 *
 * `ingest` keeps the front for its health, readiness and metrics (and still answers the API); its
 * intake is partitioned by config (server/ingest-role.ts). `web` has no intake: no subscription to
 * readings, no HJ 212 listener, no judging of live readings, no partitions.
 */
import type { Role } from '../config-role';

export const PARTS = ['core', 'services', 'jobs', 'intake', 'front', 'gateway'] as const;
export type Part = (typeof PARTS)[number];

export const ROLE_PARTS = {
  all: ['core', 'services', 'jobs', 'intake', 'front'],
  ingest: ['core', 'services', 'jobs', 'intake', 'front'],
  web: ['core', 'services', 'jobs', 'front'],
  gateway: ['gateway'],
} as const satisfies Record<Role, readonly Part[]>;

/** Whether a process of this role runs this part. */
export function runs(role: Role, part: Part): boolean {
  return (ROLE_PARTS[role] as readonly Part[]).includes(part);
}
