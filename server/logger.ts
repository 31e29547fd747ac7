/** The one root logger; modules get `logger.child({ module })` injected. Secrets are redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    base: { app: 'o3-sentinel' },
    redact: {
      paths: [
        'password', '*.password', '*.*.password', 'token', '*.token', '*.*.token', 'headers.authorization',
        // accounts: hashes, MQTT passwords, session cookies, password-change bodies
        'passwordHash', '*.passwordHash', 'mqttPassword', '*.mqttPassword', '*.*.mqttPassword',
        'cookie', 'headers.cookie', '*.headers.cookie', 'headers["set-cookie"]', '*.headers["set-cookie"]',
        'body.current', 'body.next', '*.body.current', '*.body.next',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } } } : {}),
  });
}
