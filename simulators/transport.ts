/**
 * The fleet publishes through `Publisher`s made by a `Connector`: MQTT (mqtt.js, QoS 1) in real
 * use, an in-memory fake in tests. One publisher per logger, or a few shared by many loggers.
 */
import { connectAsync, type IClientOptions } from 'mqtt';

export interface Publisher {
  /** Resolves when the broker acknowledged the message (QoS 1), rejects if it could not be sent. */
  publish(topic: string, payload: string): Promise<void>;
  /** Waits for in-flight messages (up to a timeout; none when offline), disconnects and fails what is left. */
  close(): Promise<void>;
}

export type Connector = (clientId: string) => Promise<Publisher>;

/** The part of a pino logger the simulators use. */
export interface FleetLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const SILENT_LOGGER: FleetLogger = { info: () => {}, warn: () => {} };

export interface MqttConnectorOptions {
  username?: string;
  password?: string;
  /** How long close() waits for unacknowledged messages before dropping the connection, ms. */
  closeTimeoutMs?: number;
  logger?: FleetLogger;
}

export function mqttConnector(url: string, options: MqttConnectorOptions = {}): Connector {
  const logger = options.logger ?? SILENT_LOGGER;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
  return async (clientId) => {
    const clientOptions: IClientOptions = { clientId, clean: true, reconnectPeriod: 2000, connectTimeout: 10_000 };
    if (options.username) clientOptions.username = options.username;
    if (options.password) clientOptions.password = options.password;
    const client = await connectAsync(url, clientOptions, false).catch((err: unknown) => {
      throw new Error(`simulator ${clientId} could not connect to ${url}`, { cause: err });
    });
    client.on('offline', () => logger.warn({ clientId }, 'simulator connection lost, reconnecting'));
    client.on('error', (err) => logger.warn({ clientId, err: err.message }, 'simulator connection error'));
    // mqtt.js keeps an unacknowledged QoS 1 message for the next connection and never settles it if
    // there is none: close() fails them, so nobody waits for a broker that will not come back.
    const unsettled = new Set<(err: Error) => void>();
    return {
      publish: (topic, payload) =>
        new Promise<void>((resolvePublish, rejectPublish) => {
          const fail = (err: Error) => {
            unsettled.delete(fail);
            rejectPublish(err);
          };
          unsettled.add(fail);
          client.publish(topic, payload, { qos: 1 }, (err) => {
            unsettled.delete(fail);
            if (err) rejectPublish(err);
            else resolvePublish();
          });
        }),
      close: async () => {
        // Connected: let in-flight messages be acknowledged (bounded). Offline or reconnecting:
        // nothing can be delivered any more, so drop the connection at once.
        let result: 'closed' | 'timeout' = 'timeout';
        if (client.connected) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<'timeout'>((resolveTimeout) => {
            timer = setTimeout(() => resolveTimeout('timeout'), closeTimeoutMs);
          });
          result = await Promise.race([client.endAsync().then(() => 'closed' as const), timeout]);
          clearTimeout(timer);
        }
        if (result === 'timeout') await client.endAsync(true);
        const closed = new Error(`simulator ${clientId} closed before the broker acknowledged the message`);
        for (const fail of [...unsettled]) fail(closed);
      },
    };
  };
}
