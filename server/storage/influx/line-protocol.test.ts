import { describe, expect, it } from 'vitest';
import type { Reading } from '../../domain/reading';
import { decodeReading, encodeJson, readingOf } from '../reading-codec';
import { influxIdent, influxString, lineDataKind, lineDataKindAt, lineToReading, readingToLine } from './line-protocol';

const r: Reading = {
  mn: '370300CEMS00000000000101',
  enterpriseId: 'qilu-power',
  kind: 'cems',
  cn: '2011',
  ts: 1_782_871_200_000,
  factors: { a21002: { rtd: 31.2, zs: 40.1, flag: 'N' }, a19001: { rtd: 8, flag: 'D' } },
};

describe('line protocol', () => {
  it('writes one point per reading with sorted tags, typed fields and ms time', () => {
    expect(readingToLine(r)).toBe(
      'telemetry,cn=2011,ent=qilu-power,kind=cems,mn=370300CEMS00000000000101 a21002_rtd=31.2,a21002_zs=40.1,a21002_flag="N",a19001_rtd=8,a19001_flag="D" 1782871200000',
    );
  });

  it('puts a comma between fields only, whichever factor opens them (one with a flag alone among them)', () => {
    const line = (factors: Reading['factors']): string => readingToLine({ ...r, factors }).split(' ')[1] as string;
    expect(line({ a19001: { flag: 'D' }, a21002: { rtd: 1, avg: 2, flag: 'N' }, a21003: { flag: 'M' } })).toBe(
      'a19001_flag="D",a21002_rtd=1,a21002_avg=2,a21002_flag="N",a21003_flag="M"',
    );
    expect(line({ a21003: { cou: 5, flag: 'T' } })).toBe('a21003_cou=5,a21003_flag="T"');
    expect(line({ a21003: { max: 5, flag: 'T' }, a19001: { flag: 'N' } })).toBe('a21003_max=5,a21003_flag="T",a19001_flag="N"');
  });

  it('tags a source by its current enterprise and kind, each data kind with its own cn', () => {
    const line = (x: Partial<Reading>): string => readingToLine({ ...r, ...x }).split(' ')[0] as string;
    expect(line({})).toBe('telemetry,cn=2011,ent=qilu-power,kind=cems,mn=370300CEMS00000000000101');
    expect(line({ cn: '2051' })).toBe('telemetry,cn=2051,ent=qilu-power,kind=cems,mn=370300CEMS00000000000101');
    expect(line({ enterpriseId: 'jinan-steel' })).toBe('telemetry,cn=2011,ent=jinan-steel,kind=cems,mn=370300CEMS00000000000101');
    expect(line({ enterpriseId: 'jinan-steel', kind: 'vocs' })).toBe(
      'telemetry,cn=2011,ent=jinan-steel,kind=vocs,mn=370300CEMS00000000000101',
    );
    expect(line({ enterpriseId: 'jinan-steel', kind: 'vocs', cn: '2061' })).toBe(
      'telemetry,cn=2061,ent=jinan-steel,kind=vocs,mn=370300CEMS00000000000101',
    );
  });

  it('escapes tag values with commas, spaces and equals signs', () => {
    expect(readingToLine({ ...r, enterpriseId: 'a b,c=d', factors: { a19001: { rtd: 1, flag: 'N' } } })).toContain('ent=a\\ b\\,c\\=d,');
  });

  it('reads a line back into the reading it was made of (tags escaped, every field, any number), and its data kind alone', () => {
    const all: Reading = {
      ...r,
      enterpriseId: 'a b,c=d\\e',
      cn: '2051',
      ts: 1,
      factors: { a00000: { avg: 1e-7, min: -0.5, max: 12345678.9, zs: 0, cou: 433800, flag: 'C' }, a21002: { rtd: 31.2, flag: 'N' } },
    };
    for (const reading of [r, all]) expect(lineToReading(readingToLine(reading))).toEqual(reading);
    expect([lineDataKind(readingToLine(r)), lineDataKind(readingToLine(all))]).toEqual(['2011', '2051']);
  });

  it('reads the data kind of each line in a buffer of lines, and nothing of a line of JSON', () => {
    const minute: Reading = { ...r, cn: '2051' };
    const lines = [readingToLine(r), encodeJson(r), readingToLine(minute), 'telemetry,cn=2061', 'telemetry'];
    const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    const kinds: (string | undefined)[] = [];
    for (let at = 0; at < bytes.length;) {
      const nl = bytes.indexOf(0x0a, at);
      kinds.push(lineDataKindAt(bytes, at, nl));
      at = nl + 1;
    }
    expect(kinds).toEqual(['2011', undefined, '2051', undefined, undefined]);
  });

  it('decodes a spooled line of either encoding: line protocol, or JSON as earlier versions spooled', () => {
    expect(decodeReading(readingToLine(r))).toEqual(r);
    expect(decodeReading(encodeJson(r))).toEqual(r);
    for (const damaged of ['{"mn":"3703', 'telemetry', '', '{"ts":1}']) expect(readingOf(damaged)).toBeNull();
  });

  it.each([
    [influxString("it's"), "'it\\'s'"],
    [influxString('a\\b'), "'a\\\\b'"],
    [influxIdent('my"db'), '"my\\"db"'],
  ])('quotes InfluxQL: %s', (got, want) => expect(got).toBe(want));
});
