import { describe, expect, it } from 'vitest';
import type { Alert } from './alert';
import type { Campaign, CampaignNotice } from './campaign';
import { EventBus, type InternalEventName, type InternalEvents } from './internal-events';

/** Anything in T that is not plain data (a function, a Date, a Map or Set…); never when T is plain. */
type NotPlain<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends Date | Map<unknown, unknown> | Set<unknown> | RegExp | Uint8Array | Promise<unknown>
    ? T
    : T extends readonly (infer E)[]
      ? NotPlain<E>
      : T extends object
        ? { [K in keyof T]-?: NotPlain<T[K]> }[keyof T]
        : never;
type Violations = { [K in InternalEventName]: NotPlain<InternalEvents[K]> }[InternalEventName];
// Fails to compile when a payload type holds a function, a Date, a Map…: it could not cross processes.
const payloadsArePlain: [Violations] extends [never] ? true : false = true;

const alert: Alert = {
  id: 42,
  mn: '370300NH3000000000000201',
  enterpriseId: 'zichuan-cement',
  factor: 'a21001',
  rule: 'limit',
  severity: 'critical',
  state: 'active',
  value: 9.6,
  peak: 11.2,
  limit: 8,
  unit: 'mg/m³',
  count: 3,
  openedAt: Date.UTC(2026, 6, 1, 2),
  lastSeenAt: Date.UTC(2026, 6, 1, 2, 1),
  clearedAt: null,
  raisedAt: Date.UTC(2026, 6, 1, 2),
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: 'duty',
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: 'silence',
  evidence: { samples: 3, flat: true, note: null },
};
const campaign: Campaign = {
  id: 7,
  name: '臭氧轻度污染管控',
  level: 'light',
  from: Date.UTC(2026, 6, 2),
  to: Date.UTC(2026, 6, 4),
  target: { enterpriseIds: ['qilu-power'], kinds: ['cems'], districts: ['淄川区'] },
  measures: [{ id: 'vocs-pause', zh: '暂停涂装作业', en: 'Pause coating', window: { from: '10:00', to: '16:00' } }],
  reductionPct: 20,
  note: null,
  state: 'active',
  affected: ['qilu-power'],
  createdBy: 'admin',
  createdAt: Date.UTC(2026, 6, 1),
  activatedBy: 'admin',
  activatedAt: Date.UTC(2026, 6, 1, 1),
  closedBy: null,
  closedAt: null,
};
const notice: CampaignNotice = {
  campaignId: 7,
  enterpriseId: 'qilu-power',
  sentAt: Date.UTC(2026, 6, 1, 1),
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
};

/** At least one payload of every event (the type makes a new event need its samples here). */
const samples: { [K in InternalEventName]: InternalEvents[K][] } = {
  'reading:latest': [
    { mn: '370300NH3000000000000201', cn: '2011', ts: Date.UTC(2026, 6, 1, 2), factors: { a21001: { rtd: 9.6, zs: 10.1, flag: 'N' } } },
  ],
  'alert:changed': [
    { kind: 'opened', alert },
    { kind: 'cleared', alert: { ...alert, suppressed: null, evidence: null, clearedAt: 1 } },
  ],
  'suppression:changed': [
    { silence: { id: 1, mn: null, factor: 'a21001', rule: null, reason: '校准', createdBy: 'duty', createdAt: 1, endsAt: 2 } },
    {
      window: {
        id: 2,
        enterpriseId: 'qilu-power',
        mn: null,
        from: 1,
        to: 2,
        reason: '检修',
        declaredBy: 'qilu',
        createdAt: 1,
        status: 'pending',
        reviewedBy: null,
        reviewedAt: null,
        reviewNote: null,
        endedBy: null,
        endedAt: null,
      },
    },
  ],
  'rules:changed': [
    { kind: 'pack', mn: null },
    { kind: 'override', mn: '370300NH3000000000000201' },
  ],
  'campaign:changed': [campaign],
  'notice:sent': [
    { kind: 'sent', campaign, notice },
    { kind: 'acknowledged', campaign, notice: { ...notice, acknowledgedAt: 2, acknowledgedBy: 'qilu', note: '已落实' } },
  ],
  'logger:status': [
    { mn: '370300NH3000000000000201', status: 'online', since: 8, via: 'mqtt' },
    { mn: '370300CEMS00000000000101', status: 'offline', since: 9, via: 'hj212' },
  ],
  'user:revoked': [
    { userId: 3, reason: 'logout', sessionId: 'ab'.repeat(32), at: 5 },
    { userId: 3, reason: 'password', at: 6 },
  ],
  'warning:changed': [
    {
      id: 3,
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'regional_consultation',
      districts: ['双塔区'],
      issuedBy: 'ozone',
      issuedAt: 1,
      startAt: 2,
      plannedLiftAt: null,
      liftedAt: null,
      liftedBy: null,
      status: 'in_force',
      note: null,
      history: [{ at: 1, by: 'ozone', event: 'issued', fromLevel: null, toLevel: 'orange', note: null }],
      version: 2,
    },
  ],
  'prenotice:changed': [
    {
      id: 1,
      districts: ['双塔区'],
      level: 'orange',
      from: '2026-12-05',
      to: '2026-12-09',
      message: '请提前调整生产计划',
      issuedBy: 'ozone',
      issuedAt: 1,
      outlook: {
        horizon: { from: '2026-12-04', to: '2026-12-13' },
        episodes: [{ from: '2026-12-05', to: '2026-12-06', days: 2, peak: 230, level: 'orange' }],
        qualifyingDays: 2,
        frequent: false,
        rule: { minEpisodes: 2, minDays: 4 },
      },
      recipients: [
        {
          enterpriseId: 'steel',
          name: '钢铁',
          district: '双塔区',
          industryCode: 'C3120',
          industryName: '炼钢',
          acknowledgedAt: 2,
          acknowledgedBy: 'steel',
        },
      ],
    },
  ],
  'warning:acknowledged': [
    {
      warningId: 3,
      recipient: {
        enterpriseId: 'steel',
        name: '钢铁',
        district: '双塔区',
        industryCode: null,
        industryName: null,
        acknowledgedAt: 2,
        acknowledgedBy: 'steel',
      },
    },
  ],
  'registry:changed': [
    {
      version: 2,
      actor: 'admin',
      at: 7,
      enterprises: { upserted: ['qilu-power'], removed: [] },
      sources: { upserted: [], removed: ['370300NH3000000000000201'] },
      facilities: { upserted: [], removed: [] },
    },
  ],
  'case:changed': [
    {
      id: 3,
      type: 'exceedance',
      enterpriseId: 'qilu-power',
      district: '淄川区',
      alertIds: [42],
      sources: ['370300NH3000000000000201'],
      rules: ['limit-instant'],
      officer: 'officer',
      deadline: { kind: 'overhaul', latest: '2026-09-30' },
      requirements: ['更换催化剂'],
      internalNote: null,
      status: 'submitted',
      cleanDays: null,
      verifyingSince: null,
      report: { text: '已整改', attachmentIds: ['a1'], submittedAt: Date.UTC(2026, 6, 2), submittedBy: 'qilu-power' },
      returnReason: null,
      overdueAt: null,
      createdBy: 'officer',
      createdAt: Date.UTC(2026, 6, 1),
      updatedAt: Date.UTC(2026, 6, 2),
      closedAt: null,
      closedBy: null,
      version: 3,
      attachments: [
        {
          id: 'a1',
          name: '报告.pdf',
          kind: 'pdf',
          size: 10,
          sha256: 'ab',
          uploadedBy: 'qilu-power',
          uploadedAt: Date.UTC(2026, 6, 2),
          party: 'enterprise',
        },
      ],
      history: [{ seq: 1, at: Date.UTC(2026, 6, 1), by: 'officer', event: 'created', note: null, detail: { alerts: 1 }, internal: false }],
    },
  ],
  'response:changed': [
    {
      id: 1,
      warningId: 2,
      level: 'orange',
      districts: ['临淄区'],
      status: 'active',
      startAt: Date.UTC(2026, 11, 1),
      endAt: null,
      enterprises: [
        {
          enterpriseId: 'qilu-power',
          name: '齐鲁示范热电有限公司',
          grade: 'B',
          list: { year: 2026, version: 1 },
          measures: [],
          required: 0,
          acknowledged: { username: 'qilu-power', at: Date.UTC(2026, 11, 1, 1) },
          verification: [],
        },
      ],
      withoutList: [],
      city: [{ pollutant: 'nox', expectedKgH: 1, cityKgH: null, sharePct: null, targetPct: 20, pass: null }],
      history: [{ at: Date.UTC(2026, 11, 1), event: 'started', level: 'orange' }],
      judgedUntil: Date.UTC(2026, 11, 1),
      version: 1,
    },
  ],
  'grade-proposal:changed': [
    {
      id: 1,
      enterpriseId: 'jinhua-petrochem',
      enterpriseName: '金华石化',
      fromGrade: 'B',
      toGrade: 'C',
      status: 'confirmed',
      proposedAt: Date.UTC(2026, 11, 3),
      responseIds: [1, 2],
      evidence: [
        {
          alertId: 7,
          responseId: 1,
          mn: '370300VOCS00000000000402',
          openedAt: Date.UTC(2026, 11, 1, 4),
          entry: '1#裂解装置',
          measure: '停产',
          level: 'Ⅱ级（橙色）',
          failedHours: 2,
        },
      ],
      decidedAt: Date.UTC(2026, 11, 3, 2),
      decidedBy: 'officer',
      decisionReason: '未落实减排措施',
    },
  ],
};

describe('internal events', () => {
  it('every payload is plain data (compile-time check)', () => {
    expect(payloadsArePlain).toBe(true);
  });

  it.each(Object.keys(samples) as InternalEventName[])('%s payloads survive structuredClone and a JSON round trip', (event) => {
    for (const payload of samples[event]) {
      expect(structuredClone(payload)).toStrictEqual(payload);
      expect(JSON.parse(JSON.stringify(payload))).toStrictEqual(payload);
    }
  });

  it('delivers each event to its listeners in subscription order, and only to them', () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.on('rules:changed', (e) => heard.push(`a ${e.kind}`));
    bus.on('rules:changed', (e) => heard.push(`b ${e.mn}`));
    bus.on('user:revoked', () => heard.push('revoked'));
    bus.emit('rules:changed', { kind: 'override', mn: 'MN1' });
    expect(heard).toEqual(['a override', 'b MN1']);
  });

  it('an unsubscribed listener hears nothing more; the others still do', () => {
    const bus = new EventBus();
    const heard: number[] = [];
    const off = bus.on('user:revoked', (e) => heard.push(e.userId));
    bus.on('user:revoked', (e) => heard.push(-e.userId));
    off();
    bus.emit('user:revoked', { userId: 4, reason: 'deleted', at: 1 });
    expect(heard).toEqual([-4]);
    expect(bus.listenerCount('user:revoked')).toBe(1);
  });

  it("one listener's failure is reported and does not keep the others from hearing the event", () => {
    const errors: [string, unknown][] = [];
    const bus = new EventBus<InternalEvents>((err, event) => errors.push([event, (err as Error).message]));
    const heard: string[] = [];
    bus.on('campaign:changed', () => {
      throw new Error('boom');
    });
    bus.on('campaign:changed', (c) => heard.push(c.state));
    expect(() => bus.emit('campaign:changed', campaign)).not.toThrow();
    expect(heard).toEqual(['active']);
    expect(errors).toEqual([['campaign:changed', 'boom']]);
  });
});
