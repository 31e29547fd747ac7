import { describe, expect, it } from 'vitest';
import type { Source } from '../domain/registry';
import type { ReportSubject } from './report-builder';
import { ReportCache } from './report-cache';

const subject = (mn: string): ReportSubject => ({
  source: { mn } as Source,
  enterpriseName: 'E',
  limits: {},
  minValidMinutes: 45,
  minValidHours: 20,
});

describe('report cache', () => {
  it('answers while every subject is the same object, and forgets the entry when one changed', () => {
    const cache = new ReportCache(100);
    const subjects = [subject('A'), subject('B')];
    cache.set('k', subjects, '{"a":1}');
    expect(cache.get('k', [...subjects])).toBe('{"a":1}');
    expect(cache.get('other', subjects)).toBeUndefined();
    expect(cache.get('k', [subjects[0] as ReportSubject, { ...(subjects[1] as ReportSubject), limits: {} }])).toBeUndefined();
    expect(cache.get('k', subjects)).toBeUndefined(); // gone
    cache.set('k', subjects, '{"a":1}');
    expect(cache.get('k', [subjects[0] as ReportSubject])).toBeUndefined(); // a source more or less
  });

  it('holds at most its characters, the oldest going first; a larger answer is not kept', () => {
    const cache = new ReportCache(10);
    const s = [subject('A')];
    cache.set('a', s, '1234');
    cache.set('b', s, '5678');
    cache.set('c', s, '90ab');
    expect([cache.get('a', s), cache.get('b', s), cache.get('c', s)]).toEqual([undefined, '5678', '90ab']);
    cache.set('d', s, '12345678901');
    expect(cache.get('d', s)).toBeUndefined();
    expect(cache.get('c', s)).toBe('90ab');
  });
});
