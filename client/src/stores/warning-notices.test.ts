import type { NoticeRecipient, PreNotice } from '@domain/prenotice';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { isPreNotice, isRecipient, isWarningAcknowledgedEvent } from '../api/warning-notices';
import { useWarningNoticesStore } from './warning-notices';

const r = (enterpriseId: string, acknowledgedAt: number | null = null): NoticeRecipient => ({
  enterpriseId,
  name: `${enterpriseId} 公司`,
  district: '双塔区',
  industryCode: 'C3120',
  industryName: '炼钢',
  acknowledgedAt,
  acknowledgedBy: acknowledgedAt === null ? null : enterpriseId,
});
const p = (id: number, recipients: NoticeRecipient[]): PreNotice => ({
  id,
  districts: ['双塔区'],
  level: 'orange',
  from: '2026-12-05',
  to: '2026-12-09',
  message: '请提前调整生产计划',
  issuedBy: 'ozone',
  issuedAt: 1,
  outlook: null,
  recipients,
});

describe('warning notices store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists pre-notices newest first; a pushed one replaces the one shown', () => {
    const s = useWarningNoticesStore();
    s.applyPreNotice(p(1, [r('steel')]));
    s.applyPreNotice(p(2, [r('coke')]));
    s.applyPreNotice(p(1, [r('steel', 5)]));
    expect(s.preNotices.map((x) => [x.id, x.recipients[0]?.acknowledgedAt])).toEqual([
      [2, null],
      [1, 5],
    ]);
  });

  it('an acknowledgement replaces the enterprise’s entry or adds it', () => {
    const s = useWarningNoticesStore();
    s.applyAck(7, r('steel'));
    s.applyAck(7, r('glass'));
    s.applyAck(7, r('steel', 9));
    expect(s.acks.get(7)?.map((x) => [x.enterpriseId, x.acknowledgedAt])).toEqual([
      ['steel', 9],
      ['glass', null],
    ]);
  });

  it('the guards refuse what the domain does not allow', () => {
    expect(isPreNotice(p(1, [r('steel')]))).toBe(true);
    expect(isPreNotice({ ...p(1, []), level: 'yellow' })).toBe(false);
    expect(isRecipient({ ...r('steel'), acknowledgedAt: '2026' })).toBe(false);
    expect(isWarningAcknowledgedEvent({ warningId: 1, recipient: r('steel', 3) })).toBe(true);
    expect(isWarningAcknowledgedEvent({ warningId: '1', recipient: r('steel', 3) })).toBe(false);
  });
});
