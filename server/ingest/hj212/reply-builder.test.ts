import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../domain/hj212/decode';
import { VECTORS } from '../../domain/hj212/vectors';
import { dataReply, requestReply, setTimeCommand } from './reply-builder';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const upload = (v: string) => {
  const d = decodeFrame(v);
  if (!d.ok) throw new Error(d.detail);
  return d.frame;
};

describe('replies', () => {
  it('9014 echoes the QN, PW and MN, ST=91, Flag=4, an empty CP', () => {
    expect(text(dataReply(upload(VECTORS[2])))).toBe(
      '##0087QN=20231008130452757;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&' +
        text(dataReply(upload(VECTORS[2]))).slice(-6),
    );
    const reply = decodeFrame(dataReply(upload(VECTORS[2])));
    expect(reply).toMatchObject({
      ok: true,
      frame: { qn: '20231008130452757', st: '91', cn: '9014', flag: 4, cp: { params: {}, factors: [] } },
    });
  });

  it('answers a 2025-edition upload in its version, and a 2005 one without QN', () => {
    expect(decodeFrame(dataReply({ ...upload(VECTORS[2]), flag: 9 }))).toMatchObject({ ok: true, frame: { flag: 8 } });
    const { qn: _qn, ...noQn } = upload(VECTORS[2]);
    const reply = decodeFrame(dataReply({ ...noQn, flag: 1 }));
    expect(reply.ok && reply.frame.qn).toBeUndefined();
    expect(reply).toMatchObject({ ok: true, frame: { flag: 0 } });
  });

  it('9011 carries QnRtn', () => {
    expect(decodeFrame(requestReply(upload(VECTORS[3]), 3))).toMatchObject({
      ok: true,
      frame: { qn: '20190925181031464', st: '91', cn: '9011', mn: 'Z13401000010301', flag: 4, cp: { params: { QnRtn: '3' } } },
    });
  });

  it('1012 sets the logger’s time (China time), with a new QN, asking for an answer', () => {
    const now = Date.parse('2026-07-01T02:03:04.005Z');
    expect(decodeFrame(setTimeCommand({ ...upload(VECTORS[0]), cn: '1013' }, now, 480))).toMatchObject({
      ok: true,
      frame: { qn: '20260701100304005', st: '32', cn: '1012', flag: 5, cp: { params: { SystemTime: '20260701100304' } } },
    });
  });
});
