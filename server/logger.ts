/** The one root logger; modules get `logger.child({ module })` injected. Secrets are redacted. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination`: where the JSON lines go (default stdout; tests read a file). */
export function createLogger(level: string, pretty = false, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'o3-sentinel' },
    redact: {
      paths: [
        'password',
        '*.password',
        '*.*.password',
        'token',
        '*.token',
        '*.*.token',
        'headers.authorization',
        // accounts: hashes, MQTT passwords, session cookies, password-change bodies
        'passwordHash',
        '*.passwordHash',
        'mqttPassword',
        '*.mqttPassword',
        '*.*.mqttPassword',
        'cookie',
        'headers.cookie',
        '*.headers.cookie',
        'headers["set-cookie"]',
        '*.headers["set-cookie"]',
        'body.current',
        'body.next',
        '*.body.current',
        '*.body.next',
        'body.currentPassword',
        'body.newPassword',
        '*.body.currentPassword',
        '*.body.newPassword',
        // Aliyun SMS AccessKey secret (issue 21)
        'accessKeySecret',
        '*.accessKeySecret',
        '*.*.accessKeySecret',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
