/**
 * What an HJ 212 gateway publishes on `sentinel/v1/{mn}/hj212/gateway` (QoS 1), as JSON (MQTT 3.1.1
 * has no user properties, and any broker must carry it):
 *
 *   {"v":1,"kind":"frame","gateway":"gw-1","peer":"10.2.0.7:40112","address":"10.2.0.7",
 *    "receivedAt":1782871200000,"frame":"<base64 of the frame's bytes exactly as received>"}
 *   {"v":1,"kind":"closed","gateway":"gw-1","peer":"10.2.0.7:40112"}
 *
 * `frame`: a frame the gateway accepted — the raw bytes, so that the ingest judges them again exactly
 * as a frame of its own TCP listener (CRC, MN, PW, time window, rewrites) and archives what the
 * logger really sent; `peer`/`address` are the logger's TCP connection as the gateway saw it (the
 * raw archive's peer, the relay signatures). `closed`: that connection ended (the logger's
 * "connected" status). The gateway is trusted for these two fields only: the broker lets nobody
 * else publish there.
 */
import { z } from 'zod';

export const GATEWAY_ENVELOPE_VERSION = 1;

const peer = z.string().min(3).max(80);
const gateway = z.string().min(1).max(64);

export const gatewayEnvelopeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      v: z.literal(GATEWAY_ENVELOPE_VERSION),
      kind: z.literal('frame'),
      gateway,
      peer,
      address: z.string().min(1).max(64),
      receivedAt: z.number().int().positive(),
      frame: z.base64().min(4),
    })
    .strict(),
  z.object({ v: z.literal(GATEWAY_ENVELOPE_VERSION), kind: z.literal('closed'), gateway, peer }).strict(),
]);

export type GatewayEnvelope = z.infer<typeof gatewayEnvelopeSchema>;

export interface ForwardedFrame {
  gateway: string;
  peer: string;
  address: string;
  receivedAt: number;
  bytes: Uint8Array;
}

/** The envelope of a forwarded frame. */
export function frameEnvelope(f: ForwardedFrame): string {
  const { gateway: gw, peer: p, address, receivedAt } = f;
  const frame = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('base64');
  return JSON.stringify({ v: GATEWAY_ENVELOPE_VERSION, kind: 'frame', gateway: gw, peer: p, address, receivedAt, frame });
}

/** The envelope saying a logger's connection to the gateway closed. */
export function closedEnvelope(gw: string, p: string): string {
  return JSON.stringify({ v: GATEWAY_ENVELOPE_VERSION, kind: 'closed', gateway: gw, peer: p });
}

/** Reads an envelope; the problem as text when it is not one. */
export function parseGatewayEnvelope(payload: Uint8Array): { ok: true; envelope: GatewayEnvelope } | { ok: false; detail: string } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (err) {
    return { ok: false, detail: `not JSON: ${(err as Error).message}`.slice(0, 200) };
  }
  const parsed = gatewayEnvelopeSchema.safeParse(json);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(envelope)'}: ${i.message}`);
  return { ok: false, detail: `not a gateway envelope: ${issues.join('; ')}`.slice(0, 300) };
}
