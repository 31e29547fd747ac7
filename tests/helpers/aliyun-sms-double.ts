/**
 * A local stand-in for Aliyun SMS (dysmsapi, SendSms, RPC style) that checks each request as the
 * provider documents it, written here from the documentation and independently of the product's
 * signer (server/alerts/aliyun-sms.ts):
 *
 *   - the common parameters are present: AccessKeyId (a known one), Action=SendSms, Format,
 *     RegionId, SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, SignatureNonce (never seen
 *     before), Timestamp (yyyy-MM-ddTHH:mm:ssZ, within 15 minutes), Version=2017-05-25;
 *   - the signature: every parameter but Signature sorted by name; name and value percent-encoded
 *     byte by byte (UTF-8; A-Z a-z 0-9 - _ . ~ stay, every other byte %XY in upper-case hex);
 *     joined name=value with &; StringToSign = METHOD & %2F & percent-encoded(that string);
 *     Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 *
 * A bad request gets what Aliyun answers (HTTP 400, Code SignatureDoesNotMatch, InvalidAccessKeyId.NotFound,
 * SignatureNonceUsed, …); `throttle` answers the next requests with the flow-control code
 * isv.BUSINESS_LIMIT_CONTROL; an accepted one gets {Code: "OK", BizId, RequestId}.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface SentSms {
  phones: string[];
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  at: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 percent-encoding over the UTF-8 bytes, one byte at a time. */
function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The documented signature of a request's parameters (Signature itself left out). */
export function documentedSignature(method: string, params: Map<string, string>, secret: string): string {
  const names = [...params.keys()].filter((k) => k !== 'Signature').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = names.map((k) => `${rfc3986(k)}=${rfc3986(params.get(k) as string)}`).join('&');
  const stringToSign = [method, rfc3986('/'), rfc3986(canonical)].join('&');
  return createHmac('sha1', Buffer.from(`${secret}&`, 'utf8'))
    .update(Buffer.from(stringToSign, 'utf8'))
    .digest('base64');
}

/** application/x-www-form-urlencoded, decoded by hand ('+' is a space). */
function parseForm(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of body.split('&').filter(Boolean)) {
    const i = pair.indexOf('=');
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    out.set(dec(i < 0 ? pair : pair.slice(0, i)), dec(i < 0 ? '' : pair.slice(i + 1)));
  }
  return out;
}

export class AliyunSmsDouble {
  readonly sent: SentSms[] = [];
  /** Requests refused, with the code answered. */
  readonly refused: string[] = [];
  /** How many of the next valid requests to answer with flow control. */
  throttle = 0;
  url = '';
  private readonly nonces = new Set<string>();
  private readonly server: Server;

  constructor(
    private readonly keys: Record<string, string>,
    private readonly now: () => number = Date.now,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private answer(res: ServerResponse, status: number, body: Record<string, string>): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify({ RequestId: 'R-test', ...body }));
  }

  private refuse(res: ServerResponse, code: string, message: string): void {
    this.refused.push(code);
    this.answer(res, 400, { Code: code, Message: message });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    const params = method === 'POST' ? parseForm(Buffer.concat(chunks).toString('utf8')) : new Map([...url.searchParams.entries()]);
    const p = (k: string) => params.get(k) ?? '';
    const secret = this.keys[p('AccessKeyId')];
    if (secret === undefined) return this.refuse(res, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const fixed = { Action: 'SendSms', Version: '2017-05-25', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0' };
    for (const [k, v] of Object.entries(fixed)) if (p(k) !== v) return this.refuse(res, 'MissingParameter', `${k} must be ${v}`);
    for (const k of ['Format', 'RegionId', 'SignatureNonce', 'Timestamp', 'Signature', 'PhoneNumbers', 'SignName', 'TemplateCode'])
      if (!p(k)) return this.refuse(res, 'MissingParameter', `${k} is mandatory for this action.`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p('Timestamp')) || Math.abs(Date.parse(p('Timestamp')) - this.now()) > 15 * 60_000)
      return this.refuse(res, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    const expected = Buffer.from(documentedSignature(method, params, secret));
    const given = Buffer.from(p('Signature'));
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return this.refuse(res, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (this.nonces.has(p('SignatureNonce'))) return this.refuse(res, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.add(p('SignatureNonce'));
    if (this.throttle > 0) {
      this.throttle--;
      return this.answer(res, 200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
    }
    this.sent.push({
      phones: p('PhoneNumbers').split(','),
      signName: p('SignName'),
      templateCode: p('TemplateCode'),
      params: JSON.parse(p('TemplateParam') || '{}') as Record<string, string>,
      at: p('Timestamp'),
    });
    this.answer(res, 200, { Code: 'OK', Message: 'OK', BizId: `biz-${this.sent.length}` });
  }
}
