/** A simulated logger's MQTT client publishing raw HJ 212 frames to sentinel/v1/{mn}/hj212. */
import { connectAsync } from 'mqtt';
import { hj212ReplyTopic, hj212Topic } from '../../server/domain/hj212/mqtt-topics';
import type { Hj212Link } from './hj212-publisher';
import type { ReplyTracker } from './reply-tracker';

export async function mqttLink(
  url: string,
  clientId: string,
  tracker: ReplyTracker,
  auth: { username?: string; password?: string } = {},
): Promise<Hj212Link> {
  const client = await connectAsync(url, { clientId, clean: true, reconnectPeriod: 2_000, connectTimeout: 10_000, ...auth }, false);
  const subscribed = new Map<string, Promise<unknown>>();
  client.on('message', (_topic, payload) => tracker.receive(payload));
  client.on('error', () => undefined); // failed publishes reject publish(); the fleet counts them
  return {
    async write(mn, bytes) {
      let sub = subscribed.get(mn);
      if (!sub) subscribed.set(mn, (sub = client.subscribeAsync(hj212ReplyTopic(mn), { qos: 1 })));
      await sub;
      await client.publishAsync(hj212Topic(mn), Buffer.from(bytes), { qos: 1 });
    },
    async close() {
      const deadline = Date.now() + 5_000;
      while (tracker.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await client.endAsync();
    },
  };
}
