import { describe, expect, it } from 'vitest';
import { hj212GatewayTopic, mnFromHj212GatewayTopic, mnFromHj212Topic } from '../../domain/hj212/mqtt-topics';
import { closedEnvelope, frameEnvelope, parseGatewayEnvelope } from './gateway-envelope';

const MN = '370300NH3000000000000201';
const bytes = new TextEncoder().encode('##0010QN=1;CN=2011ABCD');

describe('the gateway envelope', () => {
  it('carries the frame’s bytes exactly, with the logger’s connection', () => {
    const text = frameEnvelope({ gateway: 'gw-1', peer: '10.2.0.7:40112', address: '10.2.0.7', receivedAt: 1_782_871_200_000, bytes });
    const read = parseGatewayEnvelope(new TextEncoder().encode(text));
    expect(read).toMatchObject({ ok: true, envelope: { kind: 'frame', gateway: 'gw-1', peer: '10.2.0.7:40112', address: '10.2.0.7' } });
    expect(read.ok && read.envelope.kind === 'frame' && Buffer.from(read.envelope.frame, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('says when a logger’s connection closed', () => {
    const read = parseGatewayEnvelope(new TextEncoder().encode(closedEnvelope('gw-1', '10.2.0.7:40112')));
    expect(read).toEqual({ ok: true, envelope: { v: 1, kind: 'closed', gateway: 'gw-1', peer: '10.2.0.7:40112' } });
  });

  it.each([
    ['not JSON', 'not an envelope', /not JSON/],
    ['another version', '{"v":2,"kind":"closed","gateway":"g","peer":"1.2.3.4:5"}', /v/],
    ['an unknown kind', '{"v":1,"kind":"opened","gateway":"g","peer":"1.2.3.4:5"}', /kind/],
    [
      'a frame not in base64',
      '{"v":1,"kind":"frame","gateway":"g","peer":"1.2.3.4:5","address":"1.2.3.4","receivedAt":1,"frame":"##!!"}',
      /frame/,
    ],
    ['an extra field', '{"v":1,"kind":"closed","gateway":"g","peer":"1.2.3.4:5","mn":"x"}', /mn|key/],
  ])('refuses %s', (_what, text, problem) => {
    const read = parseGatewayEnvelope(new TextEncoder().encode(text));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.detail).toMatch(problem);
  });

  it.each([
    [hj212GatewayTopic(MN), MN],
    [`sentinel/v1/${MN}/hj212`, undefined],
    [`sentinel/v1/${MN}/hj212/reply`, undefined],
    ['sentinel/v1//hj212/gateway', undefined],
    [`sentinel/v1/a/${MN}/hj212/gateway`, undefined],
  ])('the gateway topic %s names the MN %s', (topic, mn) => {
    expect(mnFromHj212GatewayTopic(topic)).toBe(mn);
  });

  it('is not an HJ 212 upload topic (a logger’s own, which the ingest answers)', () => {
    expect(mnFromHj212Topic(hj212GatewayTopic(MN))).toBeUndefined();
  });
});
