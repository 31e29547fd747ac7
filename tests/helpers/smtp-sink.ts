/**
 * A real SMTP server on a free loopback port (smtp-server), for the email channel's tests: it checks
 * the login, keeps every message it accepts (envelope, decoded subject and text), and answers the
 * next messages with planned SMTP replies (a 4xx to exercise retries, a 5xx a permanent refusal).
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), as mail clients decode a Subject. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(qpBytes(text.replace(/_/g, ' ')), 'latin1').toString('utf8'),
    );
}

/** Quoted-printable to its bytes (a latin1 string of them). */
const qpBytes = (text: string): string =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A single-part message: its headers (lower-case names, unfolded) and decoded text body. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map(
    head.split('\r\n').map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()] as [string, string];
    }),
  );
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(qpBytes(body), 'latin1').toString('utf8')
        : Buffer.from(body, 'latin1').toString('utf8');
  return { headers, text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Replies for the next messages' DATA (then 250). */
  plan: { code: number; message: string }[] = [];
  /** Logins refused. */
  refusedLogins = 0;
  port = 0;
  private readonly server: SMTPServer;

  constructor(private readonly login: { user: string; pass: string } | null = null) {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: login === null,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (this.login && auth.username === this.login.user && auth.password === this.login.pass) return cb(null, { user: auth.username });
        this.refusedLogins++;
        return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const next = this.plan.shift();
          if (next) return cb(Object.assign(new Error(next.message), { responseCode: next.code }));
          const raw = Buffer.concat(chunks).toString('latin1');
          const { headers, text } = parseMail(raw);
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            headers,
            subject: decodeWords(headers.get('subject') ?? ''),
            text,
            raw,
          });
          return cb(null, 'OK: queued');
        });
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
