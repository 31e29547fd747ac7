/**
 * The intake part (server/parts/role-parts.ts): what hears the live readings and judges them as they
 * come — the ingest stage (the MQTT intake: one subscription, or an ingest worker's partition
 * sessions; the HJ 212 TCP listener unless partitioned; the embedded broker when no external one is
 * set), the reading pipeline (spool and telemetry writer, rules, the reports' rollup, latest values),
 * the rules on the clock (offline, flat-line, hour and day closes, the facility engine), the facility
 * record rules that read its states, and the transport watch (no raw HJ 212, relays). An ingest
 * worker judges only the sources it owns (core.cluster).
 */
import { ReadingPipeline } from '../pipeline';
import type { Reading } from '../domain/reading';
import { startIngest } from '../ingest/ingest-module';
import type { FrameSeen } from '../rules/transport-rules';
import { startTransportWatch } from '../rules/transport-watch';
import type { Core, PartContext } from './core-part';
import type { Services } from './services-part';

export type Intake = Awaited<ReturnType<typeof startIntake>>;

export async function startIntake(ctx: PartContext, core: Core, services: Services) {
  const { config, log, now, stack } = ctx;
  const { registry, events, alerts, rules, reports, directory, cluster } = core;
  await rules.judge();
  services.records.rules.start();
  // Transport signatures (issue 19): no raw HJ 212, relays — from what the ingest saw, on the rules' tick.
  const ownership = cluster ? { ownership: cluster.owned } : {};
  const transportWatch = startTransportWatch(config, { registry, paramsOf: core.paramsOf, sink: alerts, now, ...ownership });
  stack.push(() => transportWatch.stop());
  const onReading = (r: Reading) => (rules.service.onReading(r), reports.onReading(r), transportWatch.onReading(r.mn));
  const pipeline = new ReadingPipeline(directory, core.telemetry.writer, { onReading }, events);
  const partitions = cluster ? { partitions: cluster.intake } : {};
  const ingest = await startIngest(config, {
    registry,
    outlet: core.outlet,
    rawArchive: core.rawArchive,
    lookup: (mn: string) => directory.get(mn),
    sink: pipeline,
    ready: () => pipeline.ready(),
    auth: core.auth,
    events,
    onFrame: (f: FrameSeen) => transportWatch.onFrame(f),
    log,
    now,
    ...partitions,
  });
  stack.push(() => ingest.stop()); // before the stages it feeds: replies for readings already durable can still go out
  return { ingest, pipeline, transportWatch };
}
