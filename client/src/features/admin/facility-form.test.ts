import { facilitySchema, type Facility } from '@domain/registry';
import { describe, expect, it } from 'vitest';
import { emptyFacilityDraft, facilityDraftOf, toFacility, validateFacility } from './facility-form';

const KITCHEN = '211300CYYY00000000000001';

describe('facility form', () => {
  it('registers a kitchen’s fan and the purifier serving it, on the kitchen logger’s channels 01 and 02', () => {
    const fan = {
      ...emptyFacilityDraft('shuangta-restaurant'),
      id: 'kitchen-fan',
      name: '厨房排烟风机',
      outletMns: [KITCHEN],
      runningKw: '0.5',
      mn: KITCHEN,
      channel: '01',
    };
    const purifier = {
      ...fan,
      id: 'kitchen-purifier',
      kind: 'treatment' as const,
      name: '静电式油烟净化器',
      serves: 'kitchen-fan',
      technology: '静电式',
      runningKw: '0.1',
      channel: '02',
    };
    expect(validateFacility(fan)).toEqual({});
    expect(validateFacility(purifier)).toEqual({});
    expect(toFacility(fan)).toEqual({
      id: 'kitchen-fan',
      enterpriseId: 'shuangta-restaurant',
      kind: 'production-line',
      name: '厨房排烟风机',
      outletMns: [KITCHEN],
      runningKw: 0.5,
      mn: KITCHEN,
      channel: '01',
    });
    expect(facilitySchema.safeParse(toFacility(purifier)).success).toBe(true);
    expect(toFacility(purifier)).toMatchObject({ serves: 'kitchen-fan', mn: KITCHEN, channel: '02', runningKw: 0.1 });
  });

  it('editing keeps what the form does not show (minimum temperature, current, adsorbent interval)', () => {
    const rto: Facility = {
      id: 'rto',
      enterpriseId: 'e',
      kind: 'treatment',
      name: 'RTO',
      mn: KITCHEN,
      channel: '02',
      runningKw: 40,
      minTempC: 760,
      runningA: 12,
      adsorbentDays: 90,
    };
    expect(toFacility(facilityDraftOf(rto))).toEqual(rto);
  });

  it.each([
    ['a logger without a channel', { mn: KITCHEN, channel: '' }, { channel: 'channel' }],
    ['channel 00', { mn: KITCHEN, channel: '00' }, { channel: 'channel' }],
    ['a channel without its logger', { mn: '', channel: '03' }, { mn: 'required' }],
    ['a negative running power', { runningKw: '-1' }, { runningKw: 'nonNegative' }],
  ])('refuses %s', (_n, over, errors) => {
    expect(validateFacility({ ...emptyFacilityDraft('e'), id: 'f', name: 'n', ...over })).toEqual(errors);
  });
});
