import { describe, expect, it } from 'vitest';
import type { Finding } from './domain/alert';
import { ownedFindings, type IngestCluster } from './ingest-role';

const finding = (mn: string): Finding => ({ type: 'normal', mn, factor: '*', rule: 'offline', value: 0, ts: 1 });

describe('ownedFindings: a worker raises nothing for another worker’s sources', () => {
  it.each([
    ['all-in-one: everything', null, ['A', 'B']],
    ['a worker owning A', { owned: { ownedSince: (mn: string) => (mn === 'A' ? 0 : null) } }, ['A']],
    ['a worker owning nothing', { owned: { ownedSince: () => null } }, []],
  ])('%s', (_, cluster, expected) => {
    const seen: string[] = [];
    const sink = ownedFindings({ apply: (fs) => void seen.push(...fs.map((f) => f.mn)) }, cluster as IngestCluster | null);
    sink.apply([finding('A'), finding('B')], 'e');
    expect(seen).toEqual(expected);
  });
});
