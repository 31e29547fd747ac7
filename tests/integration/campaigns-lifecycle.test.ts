/**
 * Special-control campaigns on the real app (embedded broker, real InfluxDB): the ozone centre
 * creates and activates campaigns, each affected enterprise's dashboard gets its notice live (and
 * no other enterprise's does), the enterprise acknowledges it, staff see who did when; compliance
 * compares each outlet's NOx emission rate over the campaign hours with the same hours of the 7
 * days before (one enterprise reduced by 40 %, one by 5 % against a 20 % target); the report at
 * the end; transitions and access refused where they must be.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Campaign, CampaignCompliance, CampaignNotice } from '../../server/domain/campaign';
import type { CampaignNoticeEvent } from '../../server/domain/events';
import type { CampaignReport } from '../../server/control/campaign-service';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { Reading } from '../../server/domain/reading';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';

const H = 3_600_000;
const CEMENT_CEMS = '370300CEMS00000000000201'; // zichuan-cement, 淄川区
const QILU_CEMS = '370300CEMS00000000000101'; // qilu-power, 临淄区

const hour = (mn: string, enterpriseId: string, ts: number, nox: number, flow: number): Reading => ({
  mn,
  enterpriseId,
  kind: 'cems',
  cn: '2061',
  ts,
  factors: { a21002: { avg: nox, flag: 'N' }, a00000: { avg: flow, flag: 'N' } },
});

interface Detail {
  campaign: Campaign;
  notices: CampaignNotice[];
  compliance: CampaignCompliance | null;
}

describe('special-control campaigns', () => {
  let t: TestApp;
  let ozone: ApiSession;
  let cement: ApiSession;
  let qilu: ApiSession;
  let staffSocket: DashboardSocket;
  let cementSocket: DashboardSocket;
  let qiluSocket: DashboardSocket;
  let logger: MqttClient;
  const qiluNotices: CampaignNoticeEvent[] = [];
  // The campaign began 3 hours ago, on the hour: its complete hours so far are start, +1 h, +2 h.
  const start = Math.floor(Date.now() / H) * H - 3 * H;
  const ids: { cement: number; linzi: number } = { cement: 0, linzi: 0 };

  const body = (target: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: '臭氧污染特别管控（测试）',
    level: 'yellow',
    from: start,
    to: new Date(Date.now() + 5 * H).toISOString(),
    target,
    measures: ['power-nox-tight', 'cut-production'],
    ...extra,
  });

  beforeAll(async () => {
    const db = `campaigns_${Date.now()}`;
    // Baseline: the 7 days before the campaign, every hour, NOx 100 mg/m³ at 50 m³/s = 18 kg/h, for both plants.
    const store = new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true });
    await store.init();
    const history: Reading[] = [];
    for (let ts = start - 7 * 24 * H; ts < start; ts += H) {
      history.push(hour(CEMENT_CEMS, 'zichuan-cement', ts, 100, 50), hour(QILU_CEMS, 'qilu-power', ts, 100, 50));
    }
    // During the campaign the power plant barely cuts: NOx 95 (−5 %).
    for (let h = 0; h < 3; h++) history.push(hour(QILU_CEMS, 'qilu-power', start + h * H, 95, 50));
    await store.write(history);

    t = await startTestApp({ INFLUX_URL: inject('influxUrl'), INFLUX_DB: db });
    [ozone, cement, qilu] = await Promise.all([t.signIn('ozone'), t.signIn('zichuan-cement'), t.signIn('qilu-power')]);
    [staffSocket, cementSocket, qiluSocket] = await Promise.all([
      connectDashboard(t.baseUrl, ozone),
      connectDashboard(t.baseUrl, cement),
      connectDashboard(t.baseUrl, qilu),
    ]);
    qiluSocket.on('campaign:notice', (e) => qiluNotices.push(e));
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `campaigns-it-${Date.now()}`, ...t.mqttAuth });
    // The cement kiln's logger reports its campaign hours over MQTT: NOx 60 (−40 %).
    for (let h = 0; h < 3; h++) {
      const payload = { cn: '2061', ts: start + h * H, factors: { a21002: { avg: 60, flag: 'N' }, a00000: { avg: 50, flag: 'N' } } };
      await logger.publishAsync(dataTopic(CEMENT_CEMS), JSON.stringify(payload), { qos: 1 });
    }
  });
  afterAll(async () => {
    for (const s of [staffSocket, cementSocket, qiluSocket]) s?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('only the ozone centre and admins create campaigns; bodies are validated field by field', async () => {
    expect((await cement.call('POST', '/api/campaigns', body({ enterpriseIds: ['zichuan-cement'] }))).status).toBe(403);
    expect((await (await t.signIn('officer')).call('POST', '/api/campaigns', body({ enterpriseIds: ['zichuan-cement'] }))).status).toBe(
      403,
    );
    const cases: [Record<string, unknown>, string][] = [
      [body({ enterpriseIds: ['nobody'] }), 'target.enterpriseIds.0: unknown enterprise "nobody"'],
      [body({ districts: ['火星区'] }), 'target.districts.0: unknown district "火星区"'],
      [body({}), 'target: name enterpriseIds, kinds or districts'],
      [body({ kinds: ['cems'] }, { measures: ['dance'] }), 'measures.0: unknown measure "dance"'],
      [body({ kinds: ['cems'] }, { to: start - H }), 'to: must be after from'],
      [body({ kinds: ['cems'] }, { reductionPct: 0 }), 'reductionPct: must be above 0'],
      [body({ kinds: ['cems'] }, { level: 'purple' }), 'level:'],
    ];
    for (const [b, message] of cases) {
      const r = await ozone.call('POST', '/api/campaigns', b);
      expect(r.status, message).toBe(400);
      expect(r.body.message).toContain(message);
    }
  });

  it('activation sends each affected enterprise its notice live, and no other enterprise', async () => {
    const created = nextEvent(staffSocket, 'campaign:changed', (e) => e.campaign.state === 'draft');
    const a = await ozone.call<{ campaign: Campaign }>(
      'POST',
      '/api/campaigns',
      body({ enterpriseIds: ['zichuan-cement'] }, { note: '请严格落实' }),
    );
    expect(a).toMatchObject({
      status: 201,
      body: {
        campaign: {
          state: 'draft',
          reductionPct: 20,
          createdBy: 'ozone',
          affected: [],
          measures: [{ id: 'power-nox-tight' }, { id: 'cut-production' }],
        },
      },
    });
    ids.cement = a.body.campaign.id;
    expect((await created).campaign.id).toBe(ids.cement);

    const noticed = nextEvent(cementSocket, 'campaign:notice', (e) => e.campaign.id === ids.cement);
    const staffNoticed = nextEvent(staffSocket, 'campaign:notice', (e) => e.campaign.id === ids.cement && e.kind === 'sent');
    const activated = await ozone.call('POST', `/api/campaigns/${ids.cement}/activate`);
    expect(activated).toMatchObject({
      status: 200,
      body: { campaign: { state: 'active', affected: ['zichuan-cement'], activatedBy: 'ozone' } },
    });
    const e = await noticed;
    expect(e).toMatchObject({
      kind: 'sent',
      notice: { enterpriseId: 'zichuan-cement', acknowledgedAt: null },
      campaign: {
        state: 'active',
        measures: [{ id: 'power-nox-tight', zh: expect.any(String), en: expect.any(String) }, { id: 'cut-production' }],
      },
    });
    expect(e.campaign.target).toEqual({ enterpriseIds: [], kinds: [], districts: [] }); // an enterprise sees no one else
    await staffNoticed;

    // Another campaign by kind and district reaches the power plant (CEMS in 临淄区) only.
    const b = await ozone.call<{ campaign: Campaign }>('POST', '/api/campaigns', body({ kinds: ['cems'], districts: ['临淄区'] }));
    ids.linzi = b.body.campaign.id;
    const qiluNoticed = nextEvent(qiluSocket, 'campaign:notice', (x) => x.campaign.id === ids.linzi);
    expect((await ozone.call('POST', `/api/campaigns/${ids.linzi}/activate`)).body).toMatchObject({
      campaign: { affected: ['qilu-power'] },
    });
    await qiluNoticed;
    // By the time the power plant got its own notice, the cement kiln's would have arrived too: it did not.
    expect(qiluNotices.map((n) => n.campaign.id)).toEqual([ids.linzi]);
    expect((await ozone.call('POST', `/api/campaigns/${ids.cement}/activate`)).status).toBe(409);
  });

  it('the enterprise acknowledges; staff see who acknowledged when; other enterprises see nothing of it', async () => {
    expect((await ozone.call('POST', `/api/campaigns/${ids.cement}/acknowledge`, {})).status).toBe(403);
    expect((await qilu.call('POST', `/api/campaigns/${ids.cement}/acknowledge`, {})).status).toBe(404);
    expect((await qilu.call('GET', `/api/campaigns/${ids.cement}`)).status).toBe(404);
    expect((await qilu.call<{ items: Campaign[] }>('GET', '/api/campaigns')).body.items.map((c) => c.id)).toEqual([ids.linzi]);

    const staffSees = nextEvent(staffSocket, 'campaign:notice', (e) => e.campaign.id === ids.cement && e.kind === 'acknowledged');
    const ack = await cement.call('POST', `/api/campaigns/${ids.cement}/acknowledge`, { note: '已停产窑尾脱硝检修' });
    expect(ack).toMatchObject({
      status: 200,
      body: { notice: { enterpriseId: 'zichuan-cement', acknowledgedBy: 'zichuan-cement', note: '已停产窑尾脱硝检修' } },
    });
    expect((await staffSees).notice.acknowledgedAt).toEqual(expect.any(Number));
    const again = await cement.call('POST', `/api/campaigns/${ids.cement}/acknowledge`, { note: '再次确认' });
    expect(again.body).toMatchObject({ notice: { note: '已停产窑尾脱硝检修' } }); // the first acknowledgement stays

    const staff = (await ozone.call<Detail>('GET', `/api/campaigns/${ids.cement}`)).body;
    expect(staff.notices).toEqual([
      expect.objectContaining({ enterpriseId: 'zichuan-cement', acknowledgedBy: 'zichuan-cement', acknowledgedAt: expect.any(Number) }),
    ]);
    const own = (await cement.call<Detail>('GET', `/api/campaigns/${ids.cement}`)).body;
    expect(own.campaign.target.enterpriseIds).toEqual([]);
    expect(own.notices.map((n) => n.enterpriseId)).toEqual(['zichuan-cement']);
    expect((await cement.call('POST', `/api/campaigns/${ids.cement}/end`)).status).toBe(403);
  });

  it('compliance: the emission rate over the campaign hours against the same hours of the 7 days before', async () => {
    // The kiln's hours came over MQTT; wait until all three are stored.
    const cementDetail = await eventually(async () => {
      const d = (await ozone.call<Detail>('GET', `/api/campaigns/${ids.cement}`)).body;
      return d.compliance?.enterprises[0]?.items[0]?.currentHours === 3 ? d : undefined;
    }, 'the campaign hours of the cement kiln in the store');
    expect(cementDetail.compliance).toMatchObject({
      targetPct: 20,
      window: { from: start },
      baseline: { from: start - 7 * 24 * H, to: start, days: 7 },
    });
    const kiln = cementDetail.compliance?.enterprises[0];
    expect(kiln).toMatchObject({
      enterpriseId: 'zichuan-cement',
      status: 'compliant',
      items: [{ mn: CEMENT_CEMS, factor: 'a21002', status: 'reduced' }],
    });
    expect(kiln?.items[0]?.baselineKgH).toBeCloseTo(18, 9); // 100 mg/m³ × 50 m³/s × 3600 × 1e-6
    expect(kiln?.items[0]?.currentKgH).toBeCloseTo(10.8, 9);
    expect(kiln?.items[0]?.reductionPct).toBeCloseTo(40, 9);
    expect(kiln?.items[0]?.baselineHours).toBeGreaterThanOrEqual(21); // 3–4 hours of day × 7 days

    const plant = (await qilu.call<Detail>('GET', `/api/campaigns/${ids.linzi}`)).body.compliance?.enterprises;
    expect(plant).toHaveLength(1);
    expect(plant?.[0]).toMatchObject({
      enterpriseId: 'qilu-power',
      status: 'flagged',
      items: [{ mn: QILU_CEMS, status: 'not_reduced', currentHours: 3 }],
    });
    expect(plant?.[0]?.items[0]?.reductionPct).toBeCloseTo(5, 9);
  });

  it('the report says who acknowledged and who complied; transitions out of order are refused', async () => {
    expect((await cement.call('GET', `/api/campaigns/${ids.cement}/report`)).status).toBe(403);
    const live = (await ozone.call<CampaignReport>('GET', `/api/campaigns/${ids.linzi}/report`)).body;
    expect(live).toMatchObject({
      final: false,
      summary: { affected: 1, acknowledged: 0, flagged: 1 },
      enterprises: [{ enterpriseId: 'qilu-power', acknowledged: false }],
    });

    const ended = nextEvent(cementSocket, 'campaign:changed', (e) => e.campaign.id === ids.cement && e.campaign.state === 'ended');
    expect((await ozone.call('POST', `/api/campaigns/${ids.cement}/end`)).body).toMatchObject({
      campaign: { state: 'ended', closedBy: 'ozone' },
    });
    await ended;
    const report = (await ozone.call<CampaignReport>('GET', `/api/campaigns/${ids.cement}/report`)).body;
    expect(report).toMatchObject({
      final: true,
      summary: { affected: 1, acknowledged: 1, compliant: 1, flagged: 0 },
      enterprises: [
        {
          enterpriseId: 'zichuan-cement',
          enterpriseName: '淄川建材水泥有限公司',
          acknowledged: true,
          acknowledgedBy: 'zichuan-cement',
          compliance: { status: 'compliant' },
        },
      ],
    });
    expect((await ozone.call('POST', `/api/campaigns/${ids.cement}/cancel`)).status).toBe(409);
    expect((await cement.call('POST', `/api/campaigns/${ids.cement}/acknowledge`, {})).status).toBe(409);

    expect((await ozone.call('POST', `/api/campaigns/${ids.linzi}/cancel`)).body).toMatchObject({ campaign: { state: 'cancelled' } });
    expect((await qilu.call('POST', `/api/campaigns/${ids.linzi}/acknowledge`, {})).status).toBe(409);
    expect((await ozone.call<{ items: Campaign[] }>('GET', '/api/campaigns?state=ended')).body.items.map((c) => c.id)).toEqual([
      ids.cement,
    ]);
  });

  it('every campaign action is in the audit trail', async () => {
    const admin = await t.signIn('admin');
    const { body: audit } = await admin.call<{ items: { action: string; actor: { username: string } | string }[] }>(
      'GET',
      '/api/audit?limit=200',
    );
    const actions = audit.items.map((i) => i.action);
    for (const a of ['campaign_created', 'campaign_activated', 'campaign_acknowledged', 'campaign_ended', 'campaign_cancelled'])
      expect(actions).toContain(a);
  });
});
