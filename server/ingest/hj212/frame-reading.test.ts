import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../domain/hj212/decode';
import { wrapSegment } from '../../domain/hj212/encode';
import type { Hj212Frame } from '../../domain/hj212/types';
import { sourceSchema } from '../../domain/registry';
import { frameToReading } from './frame-reading';

const MN = '370300CEMS00000000000601';
const source = sourceSchema.parse({ mn: MN, enterpriseId: 'qilu-power', name: 'n', kind: 'cems', lat: 36, lon: 118 });
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const ctx = { utcOffsetMinutes: 480, now: NOW, maxFutureSkewMs: 300_000, maxPastAgeMs: 240 * 3_600_000 };

const frame = (cn: string, cp: string): Hj212Frame => {
  const d = decodeFrame(wrapSegment(`QN=20260701100000000;ST=31;CN=${cn};PW=123456;MN=${MN};Flag=5;CP=&&${cp}&&`));
  if (!d.ok) throw new Error(d.detail);
  return d.frame;
};
const read = (cn: string, cp: string) => frameToReading(frame(cn, cp), source, ctx);

describe('data uploads become readings', () => {
  it('real-time data: DataTime is the sampling instant, China time', () => {
    expect(read('2011', 'DataTime=20260701100000;a21002-Rtd=31.2,a21002-ZsRtd=40.1,a21002-Flag=N;a19001-Rtd=9.5,a19001-Flag=N')).toEqual({
      ok: true,
      notes: [],
      refused: [],
      reading: {
        mn: MN,
        enterpriseId: 'qilu-power',
        kind: 'cems',
        cn: '2011',
        ts: Date.parse('2026-07-01T02:00:00Z'),
        factors: { a21002: { rtd: 31.2, zs: 40.1, flag: 'N' }, a19001: { rtd: 9.5, flag: 'N' } },
      },
    });
  });

  it.each([
    ['2051', 'DataTime=20260701095900', '2026-07-01T01:59:00Z'],
    ['2061', 'DataTime=20260701090000', '2026-07-01T01:00:00Z'],
    ['2031', 'DataTime=20260630000000', '2026-06-29T16:00:00Z'],
  ])('CN %s: DataTime (%s) is the start of the interval', (cn, dt, iso) => {
    const r = read(cn, `${dt};a21026-Avg=10,a21026-Min=8,a21026-Max=12,a21026-ZsAvg=11,a21026-Cou=0.5,a21026-Flag=N`);
    expect(r).toMatchObject({
      ok: true,
      reading: { cn, ts: Date.parse(iso), factors: { a21026: { avg: 10, min: 8, max: 12, zs: 11, cou: 0.5, flag: 'N' } } },
    });
  });

  it.each([
    ['a missing flag is N', 'a21026-Rtd=1', { rtd: 1, flag: 'N' }],
    ['an empty flag is N', 'a21026-Rtd=1,a21026-Flag=', { rtd: 1, flag: 'N' }],
    ['a lowercase flag', 'a21026-Rtd=1,a21026-Flag=m', { rtd: 1, flag: 'M' }],
    ['each flag flows on', 'a21026-Rtd=1,a21026-Flag=D', { rtd: 1, flag: 'D' }],
    [
      'EFlag, SampleTime and Info are left to the archive',
      'a21026-Rtd=1,a21026-EFlag=A01,a21026-SampleTime=20260701100000,a21026-Info=x',
      { rtd: 1, flag: 'N' },
    ],
    ['ZsAvg stands in for a missing ZsRtd', 'a21026-Rtd=1,a21026-ZsAvg=2', { rtd: 1, zs: 2, flag: 'N' }],
    ['field names in another case', 'a21026-RTD=1,a21026-zsrtd=2,a21026-FLAG=N', { rtd: 1, zs: 2, flag: 'N' }],
    ['a placeholder is no value', 'a21026-Rtd=1,a21026-ZsRtd=--', { rtd: 1, flag: 'N' }],
    ['exponent and sign', 'a21026-Rtd=-1.5e2', { rtd: -150, flag: 'N' }],
    ['surrounding spaces', 'a21026-Rtd= 3.25 ', { rtd: 3.25, flag: 'N' }],
  ])('%s', (_name, fields, want) => {
    expect(read('2011', `DataTime=20260701100000;${fields}`)).toMatchObject({ ok: true, reading: { factors: { a21026: want } } });
  });

  it.each([
    ['01', 'a34013'],
    ['02', 'a21026'],
    ['03', 'a21002'],
    ['B02', 'a00000'],
    ['S01', 'a19001'],
    ['A21026', 'a21026'],
    ['O3', 'a05024'],
    ['06', 'a21018'],
    ['08', 'a21024'],
    ['S04', 'a01017'],
    ['S07', 'a01016'],
  ])('the legacy/variant code %s becomes %s', (sent, code) => {
    const r = read('2011', `DataTime=20260701100000;${sent}-Rtd=5,${sent}-Flag=N`);
    expect(r.ok && Object.keys(r.reading.factors)).toEqual([code]);
  });

  it.each([
    ['an unknown flag', 'a21026-Rtd=1,a21026-Flag=P;a21002-Rtd=2,a21002-Flag=N', /a21026-Flag="P" is not a data flag/],
    ['a value that is text', 'a21026-Rtd=high;a21002-Rtd=2', /a21026-Rtd="high" is not a number/],
  ])('refuses only the factor with %s and keeps the others', (_name, cp, why) => {
    const r = read('2011', `DataTime=20260701100000;${cp}`);
    expect(r).toMatchObject({ ok: true, reading: { factors: { a21002: { rtd: 2, flag: 'N' } } } });
    expect(r.ok && Object.keys(r.reading.factors)).toEqual(['a21002']);
    expect(r.ok && r.refused).toEqual([expect.stringMatching(why)]);
  });

  it('keeps non-standard codes and notes the ones it cannot use', () => {
    const r = read('2011', 'DataTime=20260701100000;x99001-Rtd=1;99-Rtd=2;a21026-Rtd=--');
    expect(r).toMatchObject({ ok: true, reading: { factors: { x99001: { rtd: 1, flag: 'N' } } } });
    expect(r.ok && r.notes).toEqual(['factor "99" is not a known or well-formed code: left out', 'a21026: no value']);
  });

  it.each([
    ['no DataTime', 'a21026-Rtd=1', 'bad_datatime', /no DataTime/],
    ['a DataTime that is not a time', 'DataTime=20260231100000;a21026-Rtd=1', 'bad_datatime', /"20260231100000" is not a real/],
    ['a DataTime an hour ahead', 'DataTime=20260701110500;a21026-Rtd=1', 'future_timestamp', /ahead of the server clock/],
    ['a DataTime in 2001', 'DataTime=20010701100000;a21026-Rtd=1', 'stale_timestamp', /more than 10 days old/],
    ['a DataTime eleven days old', 'DataTime=20260620100000;a21026-Rtd=1', 'stale_timestamp', /20260620100000 .* is more than 10 days old/],
    ['a value that is text', 'DataTime=20260701100000;a21026-Rtd=high', 'bad_value', /a21026-Rtd="high" is not a number/],
    ['a hex value', 'DataTime=20260701100000;a21026-Rtd=0x10', 'bad_value', /is not a number/],
    ['a flag that is not a data flag', 'DataTime=20260701100000;a21026-Rtd=1,a21026-Flag=P', 'bad_value', /not a data flag/],
    ['every factor bad', 'DataTime=20260701100000;a21026-Rtd=1,a21026-Flag=P;a21002-Rtd=x', 'bad_value', /Flag="P".*; a21002-Rtd="x"/],
    ['no factor', 'DataTime=20260701100000', 'no_values', /no factor/],
    ['only placeholders', 'DataTime=20260701100000;a21026-Rtd=,a21026-Flag=N', 'no_values', /no usable value/],
  ])('refuses %s', (_name, cp, reason, detail) => {
    const r = read('2011', cp);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.detail).toMatch(detail);
  });

  it('takes what a logger resends after an outage within the window, and anything with no window', () => {
    expect(read('2011', 'DataTime=20260622100000;a21026-Rtd=1')).toMatchObject({ ok: true });
    const noWindow = { ...ctx, maxPastAgeMs: 0 };
    expect(frameToReading(frame('2011', 'DataTime=20010701100000;a21026-Rtd=1'), source, noWindow)).toMatchObject({ ok: true });
  });

  it('honours another configured offset', () => {
    const r = frameToReading(frame('2011', 'DataTime=20260701020000;a21026-Rtd=1'), source, { ...ctx, utcOffsetMinutes: 0 });
    expect(r.ok && r.reading.ts).toBe(Date.parse('2026-07-01T02:00:00Z'));
  });
});

describe('working-condition signals and CN 2021 equipment state (issue 16)', () => {
  const ambientMn = '211300AIR000000000000001';
  const ambient = sourceSchema.parse({ mn: ambientMn, enterpriseId: 'e', name: 'n', kind: 'ambient', lat: 36, lon: 118 });
  const ambientFrame = (cp: string): Hj212Frame => {
    const d = decodeFrame(wrapSegment(`QN=20260701100000000;ST=22;CN=2011;PW=123456;MN=${ambientMn};Flag=5;CP=&&${cp}&&`));
    if (!d.ok) throw new Error(d.detail);
    return d.frame;
  };

  it.each([
    ['real-time', '2011', 'gkw03-Rtd=412.5,gkw03-Flag=N', { rtd: 412.5, flag: 'N' }],
    ['minute', '2051', 'gkw03-Avg=400,gkw03-Cou=6.67', { avg: 400, cou: 6.67, flag: 'N' }],
    ['hour', '2061', 'gtc02-Avg=812,gtc02-Min=790,gtc02-Max=830', { avg: 812, min: 790, max: 830, flag: 'N' }],
  ])('takes a signal code in %s data from a CEMS logger', (_name, cn, fields, want) => {
    const r = read(cn, `DataTime=20260701100000;${fields}`);
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && Object.values(r.reading.factors)).toEqual([want]);
  });

  it('refuses a signal from an ambient station when no facility names its channel, keeping the rest', () => {
    const r = frameToReading(ambientFrame('DataTime=20260701100000;a05024-Rtd=120;gkw01-Rtd=5'), ambient, ctx);
    expect(r).toMatchObject({ ok: true, reading: { factors: { a05024: { rtd: 120 } } } });
    expect(r.ok && Object.keys(r.reading.factors)).toEqual(['a05024']);
    expect(r.ok && r.refused).toEqual([expect.stringMatching(/no facility names channel 01/)]);
  });

  it('takes it when a facility names that channel of the station', () => {
    const signals = new Map([[ambientMn, new Set(['01'])]]);
    const r = frameToReading(ambientFrame('DataTime=20260701100000;gkw01-Rtd=5'), ambient, { ...ctx, signals });
    expect(r).toMatchObject({ ok: true, reading: { factors: { gkw01: { rtd: 5 } } }, refused: [] });
  });

  it('refuses a look-alike signal code', () => {
    const r = read('2011', 'DataTime=20260701100000;gzz01-Rtd=1');
    expect(r).toMatchObject({ ok: false, reason: 'bad_value' });
    expect(!r.ok && r.detail).toMatch(/"gzz01" is not a working-condition signal code/);
  });

  it('a CN 2021 equipment state becomes a real-time sample of the running-state signals', () => {
    const r = read('2021', 'DataTime=20260701100000;SB1-RS=1;SB2-RS=0;SB12-RS=3');
    expect(r).toMatchObject({
      ok: true,
      reading: {
        mn: MN,
        cn: '2011',
        ts: Date.parse('2026-07-01T02:00:00Z'),
        factors: { grs01: { rtd: 1, flag: 'N' }, grs02: { rtd: 0, flag: 'N' }, grs12: { rtd: 3, flag: 'N' } },
      },
    });
  });

  it.each([
    ['a state that is not 0–5', 'SB1-RS=7;SB2-RS=1', /SB1-RS="7" is not a running state/],
    ['a state that is text', 'SB1-RS=on;SB2-RS=1', /SB1-RS="on" is not a running state/],
  ])('a CN 2021 frame refuses %s alone', (_name, cp, why) => {
    const r = read('2021', `DataTime=20260701100000;${cp}`);
    expect(r).toMatchObject({ ok: true, reading: { factors: { grs02: { rtd: 1 } } } });
    expect(r.ok && r.refused).toEqual([expect.stringMatching(why)]);
  });

  it.each([
    ['no equipment', 'DataTime=20260701100000', 'no_values'],
    ['only a factor that is no equipment', 'DataTime=20260701100000;a21002-Rtd=3', 'no_values'],
    ['equipment 0', 'DataTime=20260701100000;SB0-RS=1', 'no_values'],
    ['no DataTime', 'SB1-RS=1', 'bad_datatime'],
  ])('refuses a CN 2021 frame with %s', (_name, cp, reason) => {
    expect(read('2021', cp)).toMatchObject({ ok: false, reason });
  });
});
