import type { WarningProposal } from '@domain/warning';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/rest';
import { draftOfProposal, emptyDraft, issueRequest, refusalKey, validateDraft } from './warning-form';

describe('the issue-a-warning form', () => {
  it('needs a district and a start; the planned lift after the start', () => {
    const d = emptyDraft(1000);
    expect(validateDraft(d)).toEqual({ districts: 'districts' });
    expect(validateDraft({ ...d, districts: ['双塔区'], start: null })).toEqual({ start: 'start' });
    expect(validateDraft({ ...d, districts: ['双塔区'], plannedLift: new Date(1000) })).toEqual({ plannedLift: 'plannedLift' });
    expect(validateDraft({ ...d, districts: ['双塔区'], plannedLift: new Date(2000) })).toEqual({});
  });

  it('sends epoch times, no empty note, null for an open-ended lift', () => {
    const d = { ...emptyDraft(1000), districts: ['双塔区'], note: '  ' };
    expect(issueRequest(d)).toEqual({
      kind: 'heavy_pollution',
      level: 'yellow',
      basis: 'city_notice',
      districts: ['双塔区'],
      startAt: 1000,
      plannedLiftAt: null,
    });
    expect(issueRequest({ ...d, note: ' 会商 ' }).note).toBe('会商');
  });

  it('a confirmed proposal comes prefilled: own forecast, its level, times and every district', () => {
    const p: WarningProposal = {
      kind: 'ozone',
      level: 'orange',
      basis: 'own_forecast',
      run: { from: '2026-12-05', to: '2026-12-06', days: 2 },
      peak: 230,
      startAt: 5000,
      plannedLiftAt: 9000,
      covered: false,
    };
    expect(draftOfProposal(p, ['双塔区', '龙城区'])).toEqual({
      kind: 'ozone',
      level: 'orange',
      basis: 'own_forecast',
      districts: ['双塔区', '龙城区'],
      start: new Date(5000),
      plannedLift: new Date(9000),
      note: '',
    });
  });

  it.each([
    [new ApiError('x', 409), 'conflict'],
    [new ApiError('x', 400), 'invalid'],
    [new ApiError('x', 403), 'forbidden'],
    [new ApiError('x', 500), 'failed'],
    [new Error('x'), 'failed'],
  ])('refusal %# → %s', (err, key) => expect(refusalKey(err)).toBe(key));
});
