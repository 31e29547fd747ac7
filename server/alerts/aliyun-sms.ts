/**
 * SMS through Aliyun (阿里云短信服务, dysmsapi 2017-05-25, action SendSms) over its documented HTTP
 * API, RPC style, signed with signature version 1.0 (HMAC-SHA1):
 *
 *  1. every parameter but Signature (the common ones: AccessKeyId, Action, Format, RegionId,
 *     SignatureMethod, SignatureNonce, SignatureVersion, Timestamp, Version; and SendSms's
 *     PhoneNumbers, SignName, TemplateCode, TemplateParam) sorted by name;
 *  2. names and values percent-encoded as RFC 3986 (UTF-8; A–Z a–z 0–9 - _ . ~ kept, everything
 *     else %XY in upper-case hex, a space %20) and joined `name=value` with `&`;
 *  3. StringToSign = METHOD + `&` + percentEncode(`/`) + `&` + percentEncode(the joined string);
 *  4. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + `&`, StringToSign)).
 *
 * The request is a POST of the parameters and the signature as a form body. The answer's `Code`
 * decides: `OK` delivered; a throttling or service code is retried with the outbox's backoff;
 * anything else (a template, sign name, number or key refused) failed for good. The endpoint is
 * configurable (alerts.notify.sms.endpoint), so the tests point it at a local server.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { SmsSettings, SmsTemplateParams } from '../domain/notify-channels';
import { deliveredWith, permanentFailure, retryable, type DeliveryOutcome } from './delivery-outcome';

export interface AliyunSmsConfig {
  /** https://dysmsapi.aliyuncs.com/ in production. */
  endpoint: string;
  regionId: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** RFC 3986 percent-encoding as the signature needs it (encodeURIComponent leaves ! ' ( ) * as they are). */
export const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonicalized query string: sorted by name, each `name=value` percent-encoded, joined with `&`. */
export const canonicalQuery = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');

/** The signature of an RPC request (version 1.0, HMAC-SHA1) over every parameter but Signature. */
export function rpcSignature(method: 'GET' | 'POST', params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** ISO 8601 UTC to the second, as the API wants it: 2026-07-01T02:00:00Z. */
const timestampOf = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The signed parameters of one SendSms call. */
export function sendSmsRequest(
  config: AliyunSmsConfig,
  settings: SmsSettings,
  params: SmsTemplateParams,
  at: number,
  nonce: string,
): Record<string, string> {
  const unsigned: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    RegionId: config.regionId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    Timestamp: timestampOf(at),
    Version: '2017-05-25',
    PhoneNumbers: settings.phones.join(','),
    SignName: settings.signName,
    TemplateCode: settings.templateCode,
    TemplateParam: JSON.stringify(params),
  };
  return { ...unsigned, Signature: rpcSignature('POST', unsigned, config.accessKeySecret) };
}

/** Codes that say "not now" (flow control, a busy or failing service): the same message may go through later. */
const RETRY_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'ServiceUnavailable',
  'InternalError',
  'SignatureNonceUsed',
]);
export const isRetryableSmsCode = (code: string): boolean => code.startsWith('Throttling') || RETRY_CODES.has(code);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not the API's JSON (a proxy's error page): judged by the HTTP status
  }
}

/** The outcome of the provider's answer: its HTTP status and body. */
export function smsOutcome(status: number, text: string): DeliveryOutcome {
  const body = parseJson(text) as { Code?: unknown; Message?: unknown } | null;
  const code = typeof body?.Code === 'string' ? body.Code : null;
  if (code === null) {
    const error = `HTTP ${status}: ${text.slice(0, 200)}`;
    return status >= 500 || status === 429 ? retryable(status, error) : permanentFailure(status, error);
  }
  if (code === 'OK' && status < 300) return deliveredWith(status);
  const error = `SMS refused: ${code} ${typeof body?.Message === 'string' ? body.Message : ''}`.trim();
  return isRetryableSmsCode(code) ? retryable(status, error) : permanentFailure(status, error);
}

export interface AliyunSmsDeps {
  fetch?: typeof fetch;
  now: () => number;
  nonce?: () => string;
}

export class AliyunSms {
  constructor(
    private readonly config: AliyunSmsConfig,
    private readonly deps: AliyunSmsDeps,
  ) {}

  /** Whether an access key is configured (without one nothing can be sent). */
  get configured(): boolean {
    return this.config.accessKeyId !== '' && this.config.accessKeySecret !== '';
  }

  async send(settings: SmsSettings, params: SmsTemplateParams, timeoutMs: number): Promise<DeliveryOutcome> {
    if (!this.configured) return permanentFailure(null, 'SMS is not configured (alerts.notify.sms: no access key)');
    const request = sendSmsRequest(this.config, settings, params, this.deps.now(), (this.deps.nonce ?? randomUUID)());
    const body = Object.entries(request)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    try {
      const res = await (this.deps.fetch ?? fetch)(this.config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return smsOutcome(res.status, await res.text());
    } catch (err) {
      return retryable(null, `request failed: ${(err as Error).message}`);
    }
  }
}
