import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../domain/hj212/decode';
import { wrapSegment } from '../../domain/hj212/encode';
import { sourceSchema, type Source } from '../../domain/registry';
import { judge, type VerdictContext } from './frame-verdict';

const OPEN = '370300NH3000000000000201';
const LOCKED = '370300CEMS00000000000601';
const sources: Record<string, Source> = {
  [OPEN]: sourceSchema.parse({ mn: OPEN, enterpriseId: 'zichuan-cement', name: 'n', kind: 'ammonia', lat: 36, lon: 118 }),
  [LOCKED]: sourceSchema.parse({ mn: LOCKED, enterpriseId: 'qilu-power', name: 'n', kind: 'cems', lat: 36, lon: 118, pw: 's3cret' }),
};
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const secure: VerdictContext = { lookup: (mn) => sources[mn], utcOffsetMinutes: 480, now: NOW, maxFutureSkewMs: 300_000 };
/** OPEN has no pw: the cases about something else than passwords run with the insecure flag. */
const ctx: VerdictContext = { ...secure, allowMissingPw: true };
const DT = 'DataTime=20260701100000';

const judged = (header: string, cp: string, c: VerdictContext = ctx) => judge(decodeFrame(wrapSegment(`${header};CP=&&${cp}&&`)), c);

describe('what a frame means', () => {
  it.each([
    [
      'real-time data',
      `ST=31;CN=2011;MN=${OPEN};Flag=5`,
      `${DT};a21001-Rtd=3.2`,
      { kind: 'reading', flag: { ack: true, split: false, version: 1 } },
    ],
    [
      'a split part',
      `ST=31;CN=2061;MN=${OPEN};Flag=7;PNUM=2;PNO=1`,
      `${DT};a21001-Avg=3.2`,
      { kind: 'reading', split: { pnum: 2, pno: 1 } },
    ],
    ['the right password', `ST=31;CN=2011;PW=s3cret;MN=${LOCKED};Flag=4`, `${DT};a21002-Rtd=3`, { kind: 'reading' }],
    [
      'any password where the source has none and allowMissingPw is set',
      `ST=31;CN=2011;PW=whatever;MN=${OPEN}`,
      `${DT};a21001-Rtd=3`,
      { kind: 'reading' },
    ],
    [
      'a restart',
      `ST=31;CN=2081;MN=${OPEN};Flag=5`,
      `${DT};RestartTime=20260701095900`,
      { kind: 'status', event: 'restart', at: Date.parse('2026-07-01T02:00:00Z'), restartTime: Date.parse('2026-07-01T01:59:00Z') },
    ],
    [
      'a heartbeat (2025 edition)',
      `ST=31;CN=9015;MN=${OPEN};Flag=9`,
      '',
      { kind: 'status', event: 'heartbeat', at: NOW, flag: { ack: true, split: false, version: 2 } },
    ],
    [
      'an equipment-state upload (CN 2021): a real-time sample of the running states',
      `ST=31;CN=2021;MN=${OPEN};Flag=5`,
      `${DT};SB1-RS=1;SB2-RS=0`,
      { kind: 'reading', reading: { cn: '2011', factors: { grs01: { rtd: 1, flag: 'N' }, grs02: { rtd: 0, flag: 'N' } } } },
    ],
    [
      'a working-condition signal from a stack logger',
      `ST=31;CN=2051;MN=${OPEN};Flag=5`,
      `${DT};gkw03-Avg=412.5,gkw03-Cou=6.9`,
      { kind: 'reading', reading: { factors: { gkw03: { avg: 412.5, cou: 6.9, flag: 'N' } } }, refused: [] },
    ],
    ['a time calibration request', `QN=20260701100000000;ST=31;CN=1013;MN=${OPEN};Flag=5`, '', { kind: 'time_request' }],
    ['the logger’s 9011 to a command', `ST=91;CN=9011;MN=${OPEN};Flag=4`, 'QnRtn=1', { kind: 'logger_reply' }],
    ['the logger’s 9012 to a command', `ST=91;CN=9012;MN=${OPEN};Flag=4`, 'ExeRtn=1', { kind: 'logger_reply' }],
  ])('%s', (_name, header, cp, want) => {
    expect(judged(header, cp)).toMatchObject(want);
  });

  it.each([
    ['a wrong CRC', 'bad_crc', () => judge(decodeFrame('##0010CN=2011;xx1234'), ctx)],
    ['an unregistered MN', 'unknown_mn', () => judged('ST=31;CN=2011;MN=370300NH3000000000009999', `${DT};a21001-Rtd=1`)],
    ['a wrong password', 'bad_password', () => judged(`ST=31;CN=2011;PW=guess;MN=${LOCKED}`, `${DT};a21002-Rtd=1`)],
    ['no password where one is set', 'bad_password', () => judged(`ST=31;CN=2011;MN=${LOCKED}`, `${DT};a21002-Rtd=1`)],
    ['any password where the source has none', 'bad_password', () => judged(`ST=31;CN=2011;PW=a;MN=${OPEN}`, `${DT};a21001-Rtd=1`, secure)],
    ['no password where the source has none', 'bad_password', () => judged(`ST=31;CN=2011;MN=${OPEN}`, `${DT};a21001-Rtd=1`, secure)],
    ['the password with a character more', 'bad_password', () => judged(`ST=31;CN=2011;PW=s3cret0;MN=${LOCKED}`, `${DT};a21002-Rtd=1`)],
    ['the password with a character less', 'bad_password', () => judged(`ST=31;CN=2011;PW=s3cre;MN=${LOCKED}`, `${DT};a21002-Rtd=1`)],
    ['an empty password where one is set', 'bad_password', () => judged(`ST=31;CN=2011;PW=;MN=${LOCKED}`, `${DT};a21002-Rtd=1`)],
    [
      'another MN than the topic’s',
      'mn_mismatch',
      () => judged(`ST=31;CN=2011;MN=${OPEN}`, `${DT};a21001-Rtd=1`, { ...ctx, expectedMn: LOCKED }),
    ],
    ['a parameter upload (CN 3020)', 'unsupported_cn', () => judged(`ST=31;CN=3020;MN=${OPEN}`, `${DT};i12001-Info=1`)],
    ['an equipment-state upload with no SBn-RS', 'no_values', () => judged(`ST=31;CN=2021;MN=${OPEN}`, `${DT};i12001-Info=1`)],
    ['an equipment-state upload of an unknown state only', 'bad_value', () => judged(`ST=31;CN=2021;MN=${OPEN}`, `${DT};SB1-RS=9`)],
    ['a look-alike signal code only', 'bad_value', () => judged(`ST=31;CN=2011;MN=${OPEN}`, `${DT};gkw00-Rtd=1`)],
    ['a split flag without PNUM', 'bad_split', () => judged(`ST=31;CN=2061;MN=${OPEN};Flag=7`, `${DT};a21001-Avg=1`)],
    ['PNO beyond PNUM', 'bad_split', () => judged(`ST=31;CN=2061;MN=${OPEN};Flag=7;PNUM=2;PNO=3`, `${DT};a21001-Avg=1`)],
    ['too many parts', 'bad_split', () => judged(`ST=31;CN=2061;MN=${OPEN};Flag=7;PNUM=65;PNO=3`, `${DT};a21001-Avg=1`)],
    ['a restart without DataTime', 'bad_datatime', () => judged(`ST=31;CN=2081;MN=${OPEN}`, 'RestartTime=20260701095900')],
    ['data without values', 'no_values', () => judged(`ST=31;CN=2011;MN=${OPEN}`, DT)],
  ])('refuses %s', (_name, reason, run) => {
    expect(run()).toMatchObject({ kind: 'rejected', reason });
  });

  it('a split of one part is a whole upload', () => {
    const v = judged(`ST=31;CN=2061;MN=${OPEN};Flag=7;PNUM=1;PNO=1`, `${DT};a21001-Avg=3.2`);
    expect(v.kind).toBe('reading');
    expect(v).not.toHaveProperty('split');
  });

  it('never tells the expected password', () => {
    const v = judged(`ST=31;CN=2011;PW=guess;MN=${LOCKED}`, `${DT};a21002-Rtd=1`);
    expect(JSON.stringify(v)).not.toContain('s3cret');
  });
});
