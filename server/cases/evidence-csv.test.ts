import { describe, expect, it } from 'vitest';
import type { EvidencePeriod } from '../domain/evidence';
import type { StoredRawFrame } from '../storage/raw-archive';
import type { RecordsQuery, StoredRecord } from '../storage/telemetry-store';
import { frameLines, seriesLines } from './evidence-csv';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0); // 08:00 China time
const period: EvidencePeriod = { from: T0, to: T0 + 2 * DAY, capped: false };

/** Two real-time records a day, each with NH3 and O2. */
const store = {
  async records(q: RecordsQuery): Promise<StoredRecord[]> {
    if (q.cn !== '2011') return [];
    return [q.from, q.from + 60_000].map((ts) => ({ ts, factors: { a21001: { rtd: 9.6, flag: 'N' }, a19001: { rtd: 10, flag: 'D' } } }));
  },
};

const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
};

describe('seriesLines', () => {
  it.each([
    [100, 8, false],
    [3, 3, true],
  ])('cap %i: %i rows, truncated %s', async (max, rows, truncated) => {
    const lines = seriesLines(store, 'MN1', 'ammonia', period, 480, max);
    expect(await collect(lines)).toHaveLength(rows);
    expect(lines.truncated).toBe(truncated);
  });
  it('writes China time, the data kind, code, Chinese name, value, unit and flag in words', async () => {
    const [first, second] = await collect(seriesLines(store, 'MN1', 'ammonia', period, 480));
    expect(first).toBe('2026-11-01 08:00:00,实时数据,a21001,氨（氨逃逸）,9.6,,mg/m³,N,正常\r\n');
    expect(second).toMatch(/^2026-11-01 08:00:00,实时数据,a19001,.+,10,,%,D,故障\r\n$/);
  });
});

describe('frameLines', () => {
  const frame = (id: number, receivedAt: number, text: string): StoredRawFrame => ({
    id,
    receivedAt,
    mn: 'MN1',
    cn: '2011',
    transport: 'tcp',
    peer: '10.0.0.1:5000',
    verdict: id === 2 ? 'bad_crc' : 'accepted',
    detail: null,
    bytes: new TextEncoder().encode(text),
    count: 1,
  });
  const archive = {
    async query(q: { from: number; limit: number }) {
      return [frame(1, q.from, '##0100QN=1;PW=secret;MN=MN1&&\r\n'), frame(2, q.from + 1, '##0100QN=2;PW=secret;MN=MN1&&\r\n')].slice(
        0,
        q.limit,
      );
    },
  };
  it('masks the logger password, words the verdict, and stops at the cap', async () => {
    const lines = frameLines(archive, 'MN1', period, 480, 3);
    const out = await collect(lines);
    expect(out).toHaveLength(3);
    expect(lines.truncated).toBe(true);
    expect(out.join('')).not.toContain('secret');
    expect(out[0]).toBe('2026-11-01 08:00:00,TCP,10.0.0.1:5000,接收,,1,##0100QN=1;PW=***;MN=MN1&&,\r\n');
    expect(out[1]).toContain('拒收：bad_crc');
  });
});
