/**
 * Email over SMTP through nodemailer: the target's own SMTP server when it has one, else the
 * configured one (alerts.notify.email). One connection per message (alerts are rare; no pool to
 * keep alive or close). The outcome follows the SMTP reply: a permanent rejection (5xx but 503, as
 * RFC 5321 classes them) failed for good; a transient one (4xx), a connection or TLS failure, or a
 * timeout is retried with the outbox's backoff.
 */
import { createTransport } from 'nodemailer';
import type { EmailSettings, SmtpServer } from '../domain/notify-channels';
import type { Logger } from '../logger';
import { deliveredWith, permanentFailure, retryable, type DeliveryOutcome } from './delivery-outcome';
import type { EmailMessage } from './notify-format';

/** The sender's display name. */
const FROM_NAME = 'O3 Sentinel';

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message: string;
}

/** The outcome of a failed send: permanent for a 5xx reply (but 503, a bad command sequence), else retried. */
export function smtpOutcome(err: SmtpError): DeliveryOutcome {
  const code = err.responseCode;
  if (code === undefined) return retryable(null, `request failed: ${err.code ? `${err.code} ` : ''}${err.message}`);
  const error = `SMTP ${code}: ${(err.response ?? err.message).slice(0, 200)}`;
  return code >= 500 && code < 600 && code !== 503 ? permanentFailure(code, error) : retryable(code, error);
}

/** The reply code at the start of the server's answer (`250 2.0.0 OK queued`), else null. */
const replyCode = (response: string | undefined): number | null => {
  const m = /^(\d{3})\b/.exec(response ?? '');
  return m ? Number(m[1]) : null;
};

export class EmailChannel {
  constructor(
    /** The configured SMTP server (null: none; only targets with their own can send). */
    private readonly server: SmtpServer | null,
    private readonly log: Logger,
  ) {}

  /** Whether a target with these settings has a server to send through. */
  canSend(settings: EmailSettings): boolean {
    return (settings.smtp ?? this.server) !== null;
  }

  async send(settings: EmailSettings, message: EmailMessage, timeoutMs: number): Promise<DeliveryOutcome> {
    const server = settings.smtp ?? this.server;
    if (!server) return permanentFailure(null, 'no SMTP server (neither alerts.notify.email nor the target names one)');
    const transport = createTransport({
      host: server.host,
      port: server.port,
      secure: server.security === 'tls',
      requireTLS: server.security === 'starttls',
      ignoreTLS: server.security === 'none',
      ...(server.username ? { auth: { user: server.username, pass: server.password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: { name: FROM_NAME, address: server.from },
        to: settings.recipients,
        subject: message.subject,
        text: message.text,
        signal: AbortSignal.timeout(timeoutMs * 3),
      });
      const rejected = (info.rejected ?? []).length;
      if (rejected > 0) this.log.warn({ rejected, accepted: (info.accepted ?? []).length }, 'email: some recipients were refused');
      return deliveredWith(replyCode(info.response));
    } catch (err) {
      return smtpOutcome(err as SmtpError);
    } finally {
      transport.close();
    }
  }
}
