import { describe, expect, it } from 'vitest';
import { EventBus } from '../domain/internal-events';
import { registrySchema, type Registry } from '../domain/registry';
import { RegistryHolder } from '../registry/registry-holder';
import { SourceDirectory } from './source-directory';

const A = 'A0000000000000000000000A';
const B = 'B0000000000000000000000B';
const source = (mn: string, name = mn) => ({ mn, enterpriseId: 'e1', name, kind: 'cems' as const, lat: 36, lon: 118, pw: 'pw' });
const registry = (...sources: ReturnType<typeof source>[]): Registry =>
  registrySchema.parse({ enterprises: [{ id: 'e1', name: '一号', district: '张店区' }], sources });
const lv = (mn: string, ts: number) => ({ mn, cn: '2011' as const, ts, factors: { a21002: { rtd: 1, flag: 'N' as const } } });

describe('SourceDirectory on the live registry', () => {
  it('a source added, changed or removed counts at once; a removed one’s latest values are dropped', () => {
    const holder = new RegistryHolder(registry(source(A)), new EventBus());
    const directory = new SourceDirectory(holder);
    expect(directory.noteLatest(lv(A, 1_000))).toBe(true);
    expect(directory.noteLatest(lv(B, 1_000))).toBe(false); // not registered: ignored

    holder.replace(registry(source(A, '改名'), source(B)), 'test');
    expect(directory.get(A)?.name).toBe('改名');
    expect(directory.all().map((s) => s.mn)).toEqual([A, B]);
    expect(directory.latestOf(A)?.ts).toBe(1_000);

    holder.replace(registry(source(B)), 'test');
    expect(directory.get(A)).toBeUndefined();
    expect(directory.latestOf(A)).toBeNull();
    holder.replace(registry(source(A), source(B)), 'test');
    expect(directory.latestOf(A)).toBeNull(); // back, but its old values are gone
  });

  it.each([
    { name: 'never reported', latest: null, now: 0, exceeding: false, status: 'nodata' },
    { name: 'reported within 3 intervals', latest: 0, now: 90_000, exceeding: false, status: 'normal' },
    { name: 'silent past 3 intervals', latest: 0, now: 90_001, exceeding: true, status: 'offline' },
    { name: 'reporting with an active alert', latest: 0, now: 1_000, exceeding: true, status: 'exceeding' },
  ])('status: $name → $status', ({ latest, now, exceeding, status }) => {
    const directory = new SourceDirectory(new RegistryHolder(registry(source(A)), new EventBus()));
    if (latest !== null) directory.noteLatest(lv(A, latest));
    expect(directory.status(A, now, 3, exceeding)).toBe(status);
  });
});
