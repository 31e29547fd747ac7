/**
 * Messages the broker dropped (Mosquitto `$SYS/broker/publish/messages/dropped`: a subscriber's
 * queue past max_queued_messages, or its in-flight limits). A message the broker acknowledged to
 * its publisher and then dropped never reaches the target: the ingest run reports it beside the
 * loss so a loss is attributed to the broker or to the target.
 */
import mqtt from 'mqtt';

const TOPIC = '$SYS/broker/publish/messages/dropped';
/** The bench's Mosquitto publishes $SYS every second (sys_interval; 10 s by default). */
export const BROKER_SYS_INTERVAL_S = 1;
/**
 * Mosquitto republishes a $SYS value only when it has changed: none within two intervals means the
 * latest is current (waiting for one cost 15 s per ingest run, a quarter of `--quick`).
 */
const FRESH_WAIT_MS = 2.5 * BROKER_SYS_INTERVAL_S * 1000;

export interface BrokerDrops {
  /** The last value seen (the retained one at first). */
  latest(): number;
  /** Waits for the next value the broker publishes (≤ 2½ sys intervals), or gives the latest. */
  fresh(): Promise<number>;
  stop(): Promise<void>;
}

export async function watchBrokerDrops(url: string): Promise<BrokerDrops> {
  const client = await mqtt.connectAsync(url, { clientId: `o3-bench-sys-${process.pid}`, clean: true, reconnectPeriod: 0 });
  let value = 0;
  let waiters: (() => void)[] = [];
  client.on('message', (_topic, payload) => {
    const n = Number(payload.toString());
    if (Number.isFinite(n)) value = n;
    for (const w of waiters.splice(0)) w();
  });
  await client.subscribeAsync(TOPIC, { qos: 0 });
  return {
    latest: () => value,
    fresh: async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FRESH_WAIT_MS);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return value;
    },
    stop: async () => {
      waiters = [];
      await client.endAsync();
    },
  };
}
