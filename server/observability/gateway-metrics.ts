/**
 * `/metrics` of an HJ 212 gateway (`--role gateway`): what it forwarded, what waits for the broker,
 * what it refused, read from the gateway's own counters at scrape time (like metrics.ts for the app).
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Hj212Stats } from '../ingest/hj212/hj212-stats';
import type { ForwarderStats } from '../ingest/gateway/frame-forwarder';
import { mirroredCounter } from './metrics';

export interface GatewayMetricSources {
  forwarder: ForwarderStats;
  hj212: Hj212Stats;
  brokerConnected: () => boolean;
}

export function gatewayMetrics(sources: GatewayMetricSources): Registry {
  const r = new Registry();
  collectDefaultMetrics({ register: r, prefix: 'o3s_' });
  const { forwarder, hj212 } = sources;
  mirroredCounter(r, 'o3s_gateway_forwarded_total', 'HJ 212 frames the broker acknowledged (each then answered 9014 if asked)', () => {
    return forwarder.forwarded;
  });
  mirroredCounter(r, 'o3s_gateway_refused_full_total', 'Frames refused while maxPending frames awaited a PUBACK', () => {
    return forwarder.refusedFull;
  });
  mirroredCounter(r, 'o3s_gateway_publish_failed_total', 'Forwards that failed (no 9014: the logger resends)', () => forwarder.failed);
  mirroredCounter(r, 'o3s_hj212_replies_total', '9014 data replies written to loggers', () => hj212.replies.sent);
  const seen = new Map<string, number>();
  new Counter({
    name: 'o3s_ingest_rejected_total',
    help: 'HJ 212 frames refused by the gateway, by reason',
    labelNames: ['transport', 'reason'],
    registers: [r],
    collect() {
      for (const [reason, n] of Object.entries(hj212.rejected)) {
        this.inc({ transport: 'hj212', reason }, n - (seen.get(reason) ?? 0));
        seen.set(reason, n);
      }
    },
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [r],
      collect() {
        this.set(read());
      },
    });
  gauge('o3s_gateway_pending', 'Frames awaiting the broker’s PUBACK (their 9014 waits)', () => forwarder.pending);
  gauge('o3s_broker_connected', '1 when the gateway is connected to the broker', () => (sources.brokerConnected() ? 1 : 0));
  gauge('o3s_hj212_connections', 'Open HJ 212 TCP connections', () => hj212.connections.open);
  return r;
}
