import { describe, expect, it } from 'vitest';
import { decodeAll, decodeFrame } from './decode';
import { encodeFrame, encodeFrameText, FrameTooLongError, wrapSegment } from './encode';
import { decodeFlag, encodeFlag, type Hj212Frame } from './types';
import { VECTORS } from './vectors';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const ok = (input: string): Hj212Frame => {
  const d = decodeFrame(input);
  if (!d.ok) throw new Error(`${d.reason}: ${d.detail}`);
  return d.frame;
};

describe('the DOMAIN §3 vectors', () => {
  it.each(VECTORS.map((v) => [v.slice(0, 60), v]))('%s… decodes and re-encodes byte for byte', (_name, vector) => {
    const frame = ok(vector);
    expect(encodeFrameText(frame)).toBe(`${vector}\r\n`);
  });

  it('decode every field of the hour-data vector', () => {
    expect(ok(VECTORS[3])).toEqual({
      qn: '20190925181031464',
      st: '22',
      cn: '2061',
      pw: 'BF470F88957588DE902D1A52',
      mn: 'Z13401000010301',
      flag: 5,
      cp: {
        params: { DataTime: '20190924220000' },
        factors: [
          { code: 'a34006', fields: { Avg: '2.69700', Flag: 'N' } },
          { code: 'a34007', fields: { Avg: '7.96600', Flag: 'N' } },
          { code: 'a34048', fields: { Avg: '3.30600', Flag: 'N' } },
          { code: 'a34047', fields: { Avg: '7.35700', Flag: 'N' } },
          { code: 'a34049', fields: { Avg: '10.66300', Flag: 'N' } },
        ],
      },
    });
  });

  it.each([
    [VECTORS[0], { cn: '1062', params: { RtdInterval: '30' } }],
    [VECTORS[1], { cn: '9011', params: { QnRtn: '1' } }],
    [VECTORS[2], { cn: '2081', params: { DataTime: '20231008130452', RestartTime: '20231007130452' } }],
  ])('decodes the parameters of %s', (vector, want) => {
    const f = ok(vector);
    expect(f.cn).toBe(want.cn);
    expect(f.cp.params).toEqual(want.params);
    expect(f.cp.factors).toEqual([]);
  });
});

describe('Flag', () => {
  it.each([
    [undefined, { ack: false, split: false, version: 0 }],
    [0, { ack: false, split: false, version: 0 }],
    [4, { ack: false, split: false, version: 1 }],
    [5, { ack: true, split: false, version: 1 }],
    [6, { ack: false, split: true, version: 1 }],
    [7, { ack: true, split: true, version: 1 }],
    [9, { ack: true, split: false, version: 2 }],
    [1, { ack: true, split: false, version: 0 }],
  ])('Flag=%s is %o', (flag, want) => {
    expect(decodeFlag(flag)).toEqual(want);
    if (flag !== undefined) expect(encodeFlag(want)).toBe(flag);
  });
});

describe('tolerated deviations', () => {
  const frame = (segment: string, crcCase: 'upper' | 'lower' = 'upper') => {
    const t = text(wrapSegment(segment));
    return crcCase === 'upper' ? t : t.slice(0, -6) + t.slice(-6, -2).toLowerCase() + '\r\n';
  };

  it.each([
    [
      'missing QN and Flag (2005 devices)',
      'ST=31;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20260701100000;01-Rtd=12.3,01-Flag=N&&',
      { cn: '2011', mn: '88888880000001', pw: '123456', st: '31' },
    ],
    [
      'an empty PW',
      'QN=20260701100000000;ST=31;CN=2011;PW=;MN=88888880000001;Flag=4;CP=&&DataTime=20260701100000;a21026-Rtd=1&&',
      { pw: '' },
    ],
    ['a 14-character MN', 'ST=31;CN=2011;MN=88888880000001;CP=&&DataTime=20260701100000;a21026-Rtd=1&&', { mn: '88888880000001' }],
    [
      'header separated by commas',
      'QN=20260701100000000,ST=31,CN=2011,PW=1,MN=88888880000001,Flag=5,CP=&&DataTime=20260701100000;a21026-Rtd=1&&',
      { flag: 5, qn: '20260701100000000' },
    ],
    [
      'header keys in another order and case',
      'MN=88888880000001;cn=2011;FLAG=4;st=31;CP=&&DataTime=20260701100000;a21026-Rtd=1&&',
      { mn: '88888880000001', cn: '2011', flag: 4, st: '31' },
    ],
    [
      'split-packet fields',
      'QN=1;ST=31;CN=2061;MN=88888880000001;Flag=7;PNUM=3;PNO=2;CP=&&DataTime=20260701100000;a21026-Avg=1&&',
      { pnum: 3, pno: 2, flag: 7 },
    ],
  ])('accepts %s', (_name, segment, want) => {
    expect(ok(frame(segment))).toMatchObject(want);
  });

  it('accepts a lowercase CRC', () => {
    expect(ok(frame('ST=31;CN=2011;MN=88888880000001;CP=&&DataTime=20260701100000;a21026-Rtd=1&&', 'lower')).cn).toBe('2011');
  });

  it.each([
    ['`;` between fields of one quantity', 'DataTime=20260701100000;a21026-Rtd=1.5;a21026-Flag=N;a21002-Rtd=30,a21002-Flag=M'],
    ['`,` between quantities', 'DataTime=20260701100000,a21026-Rtd=1.5,a21026-Flag=N,a21002-Rtd=30,a21002-Flag=M'],
    ['a trailing separator', 'DataTime=20260701100000;a21026-Rtd=1.5,a21026-Flag=N;a21002-Rtd=30,a21002-Flag=M;'],
    ['fields of one quantity apart', 'DataTime=20260701100000;a21026-Rtd=1.5;a21002-Rtd=30,a21002-Flag=M;a21026-Flag=N'],
  ])('reads the CP area with %s', (_name, cp) => {
    const f = ok(frame(`ST=31;CN=2011;MN=88888880000001;CP=&&${cp}&&`));
    expect(f.cp.params).toEqual({ DataTime: '20260701100000' });
    expect(f.cp.factors).toEqual([
      { code: 'a21026', fields: { Rtd: '1.5', Flag: 'N' } },
      { code: 'a21002', fields: { Rtd: '30', Flag: 'M' } },
    ]);
  });

  it('keeps a comma inside an -Info value', () => {
    const f = ok(frame('ST=31;CN=3020;MN=88888880000001;CP=&&DataTime=20260701100000;i12001-Info=a,b;i12002-Info=c&&'));
    expect(f.cp.factors).toEqual([
      { code: 'i12001', fields: { Info: 'a,b' } },
      { code: 'i12002', fields: { Info: 'c' } },
    ]);
  });

  it('counts the length in UTF-8 bytes, CRC over the same bytes', () => {
    const segment = 'ST=31;CN=3020;MN=88888880000001;CP=&&DataTime=20260701100000;i12001-Info=氨逃逸超标&&';
    const bytes = wrapSegment(segment);
    expect(Number(text(bytes.subarray(2, 6)))).toBe(new TextEncoder().encode(segment).length);
    expect(ok(text(bytes)).cp.factors[0]?.fields.Info).toBe('氨逃逸超标');
  });

  it('accepts a data segment longer than 1024 bytes', () => {
    const factors = Array.from({ length: 80 }, (_, i) => `a${String(30000 + i)}-Rtd=${i}.123,a${String(30000 + i)}-Flag=N`).join(';');
    const f = ok(frame(`QN=20260701100000000;ST=31;CN=2011;MN=88888880000001;Flag=5;CP=&&DataTime=20260701100000;${factors}&&`));
    expect(f.cp.factors).toHaveLength(80);
  });

  it('decodes glued frames without \\r\\n, each by its length field', () => {
    const a = encodeFrame({
      qn: '1',
      st: '31',
      cn: '2011',
      mn: '88888880000001',
      flag: 5,
      cp: { params: { DataTime: '20260701100000' }, factors: [] },
    });
    const b = encodeFrame({
      qn: '2',
      st: '31',
      cn: '2011',
      mn: '88888880000001',
      flag: 5,
      cp: { params: { DataTime: '20260701100030' }, factors: [] },
    });
    const glued = text(a).trimEnd() + text(b).trimEnd() + text(a);
    expect(decodeAll(glued).map((d) => (d.ok ? d.frame.qn : d.reason))).toEqual(['1', '2', '1']);
  });
});

describe('refusals with a precise reason', () => {
  const good = VECTORS[2];
  it.each([
    ['a wrong CRC', good.slice(0, -4) + '3AC1', 'bad_crc', /CRC 3AC1 does not match the data \(computed 3AC0\)/],
    [
      'a length field too small',
      good.replace('##0137', '##0130') + '\r\n',
      'bad_length',
      /says 130 bytes, the data segment has 137 \(its CRC matches\)/,
    ],
    ['a length field too large', good.replace('##0137', '##0139') + '\r\n', 'bad_length', /says 139 bytes, the data segment has 137/],
    ['a truncated frame', good.slice(0, 90), 'bad_length', /truncated: .* says 137 bytes of data, the stream ended after 84/],
    [
      'no CRC before the next frame',
      good.slice(0, -4) + '\r\n' + good,
      'bad_length',
      /no CRC after the 137 bytes the length field declares \(found "\r\n"\)/,
    ],
    ['one changed data byte', good.replace('RestartTime=2023', 'RestartTime=2024'), 'bad_crc', /does not match/],
    ['no ## at all', 'QN=1;ST=31;CN=2011', 'garbage', /18 bytes that are not a frame/],
    ['no CP area', 'CN=2011;MN=88888880000001;Flag=5', 'bad_frame', /no CP=&& area/],
    ['no MN', 'CN=2011;Flag=5;CP=&&&&', 'bad_frame', /no MN/],
    ['no CN', 'MN=88888880000001;CP=&&&&', 'bad_frame', /no CN/],
    ['a CN that is not 4 digits', 'CN=20x1;MN=88888880000001;CP=&&&&', 'bad_frame', /CN "20x1" is not 4 digits/],
    ['a Flag that is not a number', 'CN=2011;MN=88888880000001;Flag=A;CP=&&&&', 'bad_frame', /Flag "A" is not a number/],
    ['a QN that is not a number', 'QN=2026-07-01;CN=2011;MN=88888880000001;CP=&&&&', 'bad_frame', /QN "2026-07-01"/],
    ['a header field without =', 'CN=2011;MN=88888880000001;junk;CP=&&&&', 'bad_frame', /"junk" has no "="/],
  ])('refuses %s', (_name, input, reason, detail) => {
    const framed = input.startsWith('##') || reason !== 'bad_frame' ? input : text(wrapSegment(input));
    const d = decodeFrame(framed);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reason).toBe(reason);
    expect(d.detail).toMatch(detail);
  });

  it('a frame without its CRC does not take the next frame with it', () => {
    const d = decodeAll(good.slice(0, -4) + '\r\n' + good);
    expect(d.map((x) => (x.ok ? x.frame.cn : x.reason))).toEqual(['bad_length', '2081']);
  });

  it('refuses to encode a data segment beyond 9999 bytes', () => {
    expect(() => wrapSegment('x'.repeat(10_000))).toThrow(FrameTooLongError);
  });
});
