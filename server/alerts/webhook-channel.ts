/**
 * Webhooks: the body POSTed as JSON; an HTTP error status or a robot's refusal is retried with the
 * outbox's backoff (DingTalk and WeCom robots answer HTTP 200 with a non-zero `errcode`).
 */
import { deliveredWith, retryable, type DeliveryOutcome } from './delivery-outcome';
import type { NotifyFormat } from './notify-format';

/** POSTs `body` to a webhook; the HTTP status (null: none) and why it failed (null: delivered). */
export async function postWebhook(
  fetchFn: typeof fetch,
  target: { url: string; format: NotifyFormat },
  body: string,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  try {
    const res = await fetchFn(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) return retryable(res.status, `HTTP ${res.status}: ${text.slice(0, 200)}`);
    const refused = target.format === 'json' ? null : robotError(text);
    return refused === null ? deliveredWith(res.status) : retryable(res.status, refused);
  } catch (err) {
    return retryable(null, `request failed: ${(err as Error).message}`);
  }
}

/** DingTalk and WeCom robots answer HTTP 200 with `{"errcode": n}`; anything but 0 is a refusal. */
function robotError(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null; // not their JSON answer (a proxy, a test double): HTTP 200 is taken as delivered
  }
  const code = (body as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && code !== 0
    ? `robot refused: errcode ${code} ${String((body as { errmsg?: unknown }).errmsg ?? '')}`
    : null;
}
