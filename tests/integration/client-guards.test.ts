/**
 * The shapes are declared once (server/domain) and the dashboard checks every field of them at run
 * time (client/src/api/guards.ts, control-guards.ts): here the real app's answers and socket events
 * pass those very guards, so a server answer and the client's idea of it cannot drift apart.
 * (guards.test.ts beside the guards shows each guard refuses what breaks its type.)
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isCampaign,
  isCampaignDetail,
  isCampaignEvent,
  isCampaignReport,
  isForecast,
  isNoticeEvent,
  isOzoneStatus,
  isWarning,
} from '../../client/src/api/control-guards';
import { arrayOf, isAnswer, isItems, type Guard } from '../../client/src/api/guard-kit';
import {
  isAlert,
  isAlertDetail,
  isAlertEvent,
  isAssignee,
  isSessionUser,
  isBulkResult,
  isDailyReport,
  isHistoryEntry,
  isHourlyReport,
  isMaintenanceEvent,
  isMaintenanceWindow,
  isReadingBatch,
  isSeriesAnswer,
  isSilence,
  isSnapshot,
  isSourceRules,
  isSourceView,
  isTransmissionRate,
  isTransmissionRow,
} from '../../client/src/api/guards';
import { isWarningEvent, isWarningRecord, isProposals, isWarningsSnapshot } from '../../client/src/api/warnings';
import type { Alert } from '../../server/domain/alert';
import type { Snapshot } from '../../server/domain/events';
import { localDate } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const H = 3_600_000;

describe('the real server’s answers pass the dashboard’s guards', () => {
  let t: TestApp;
  let officer: ApiSession;
  let ozone: ApiSession;
  let cement: ApiSession;
  let dashboard: DashboardSocket;
  let logger: MqttClient;
  let alert: Alert;
  let batch: unknown;

  /** GET (or another method) and the status and body, asserting the guard holds. */
  const passes = async <T>(session: ApiSession, method: string, path: string, guard: Guard<T>, body?: unknown): Promise<T> => {
    const r = await session.call(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    expect(guard(r.body), `${method} ${path} → ${JSON.stringify(r.body)}`).toBe(true);
    return r.body as T;
  };

  beforeAll(async () => {
    t = await startTestApp();
    [officer, ozone, cement] = await Promise.all([t.signIn('officer'), t.signIn('ozone'), t.signIn('zichuan-cement')]);
    dashboard = await connectDashboard(t.baseUrl, officer);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `guards-it-${Date.now()}`, ...t.mqttAuth });
    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === CEMENT_NH3);
    const values = nextEvent(dashboard, 'reading:batch', (b) => b.some((lv) => lv.mn === CEMENT_NH3));
    const payload = { cn: '2011', ts: Date.now() - 60_000, factors: { a21001: { rtd: 9.6, flag: 'N' }, a19001: { rtd: 10.5, flag: 'N' } } };
    await logger.publishAsync(dataTopic(CEMENT_NH3), JSON.stringify(payload), { qos: 1 });
    const event = await opened;
    expect(isAlertEvent(event)).toBe(true);
    alert = event.alert;
    batch = await values;
  });
  afterAll(async () => {
    dashboard?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('socket: the snapshot, alert events and reading batches', async () => {
    expect(isReadingBatch(batch), JSON.stringify(batch)).toBe(true);
    const fresh = await connectDashboard(t.baseUrl, officer);
    const snapshot = await new Promise<Snapshot>((resolve) => {
      fresh.once('state:snapshot', resolve);
      fresh.emit('state:resync');
    });
    fresh.close();
    expect(snapshot.alerts.length).toBeGreaterThan(0);
    expect(isSnapshot(snapshot)).toBe(true);
  });

  it('alerts: the page, the detail, the history, actions, bulk results and assignees', async () => {
    await passes(officer, 'GET', '/api/alerts?sort=attention', isItems(isAlert));
    await passes(officer, 'GET', `/api/alerts/${alert.id}`, isAlertDetail);
    await passes(cement, 'GET', `/api/alerts/${alert.id}`, isAlertDetail);
    await passes(officer, 'POST', `/api/alerts/${alert.id}/comment`, isAnswer('alert', isAlert), { text: '已电话联系企业' });
    await passes(officer, 'POST', '/api/alerts/acknowledge', isAnswer('results', arrayOf(isBulkResult)), { ids: [alert.id, 999_999] });
    await passes(officer, 'GET', `/api/alerts/history?mn=${CEMENT_NH3}`, isItems(isHistoryEntry));
    await passes(officer, 'GET', '/api/assignees', isItems(isAssignee));
    await passes(officer, 'POST', '/api/silences', isAnswer('silence', isSilence), { mn: CEMENT_NH3, reason: '调试', durationMin: 30 });
  });

  it('sign-in and the session: the user', async () => {
    await passes(officer, 'GET', '/api/auth/me', isAnswer('user', isSessionUser));
    await passes(cement, 'GET', '/api/auth/me', isAnswer('user', isSessionUser));
  });

  it('sources: the list, a series, the limits', async () => {
    const { items } = await passes(officer, 'GET', '/api/sources', isItems(isSourceView));
    expect(items.find((s) => s.mn === CEMENT_NH3)?.latest).not.toBeNull();
    const seriesPath = `/api/sources/${CEMENT_NH3}/series?factor=a21001&from=${Date.now() - H}`;
    const series = await passes(officer, 'GET', seriesPath, isSeriesAnswer);
    expect(series.resolution).toBe('raw');
    expect(series.items.length).toBeGreaterThan(0);
    await passes(officer, 'GET', `/api/rules/sources/${CEMENT_NH3}`, isSourceRules);
  });

  it('maintenance windows', async () => {
    const now = Date.now();
    await passes(cement, 'POST', '/api/maintenance', isMaintenanceEvent, {
      mn: CEMENT_NH3,
      from: now + H,
      to: now + 2 * H,
      reason: '窑检修',
    });
    await passes(officer, 'GET', '/api/maintenance?limit=100', isItems(isMaintenanceWindow));
  });

  it('reports: daily, hourly, transmission', async () => {
    const today = localDate(Date.now(), 480);
    const daily = await passes(officer, 'GET', `/api/reports/daily?date=${today}&limit=50`, isDailyReport);
    expect(daily.items.length).toBeGreaterThan(0);
    await passes(officer, 'GET', `/api/reports/hourly?mn=${CEMENT_NH3}&date=${today}`, isHourlyReport);
    await passes(officer, 'GET', `/api/reports/transmission?from=${today}&to=${today}`, isItems(isTransmissionRow));
    await passes(officer, 'GET', `/api/reports/transmission/rate?date=${today}`, isTransmissionRate);
  });

  it('the ozone centre: status, forecasts, warning, a campaign, its notice, detail and report', async () => {
    await passes(ozone, 'GET', '/api/ozone/status', isOzoneStatus);
    const tomorrow = localDate(Date.now() + 24 * H, 480);
    await passes(ozone, 'POST', '/api/ozone/forecasts', isAnswer('forecast', isForecast), { date: tomorrow, o3_8h: 180, note: '午后偏高' });
    await passes(ozone, 'GET', '/api/ozone/forecasts', isItems(isForecast));
    await passes(ozone, 'GET', '/api/ozone/warning', isWarning);
    const now = Date.now();
    const target = { enterpriseIds: ['zichuan-cement'] };
    const body = { name: '臭氧管控', level: 'yellow', from: now, to: now + 24 * H, target, measures: ['cut-production'] };
    const { campaign } = await passes(ozone, 'POST', '/api/campaigns', isAnswer('campaign', isCampaign), body);
    const changed = nextEvent(dashboard, 'campaign:changed', (e) => e.campaign.id === campaign.id && e.campaign.state === 'active');
    const notice = nextEvent(dashboard, 'campaign:notice', (e) => e.campaign.id === campaign.id);
    await passes(ozone, 'POST', `/api/campaigns/${campaign.id}/activate`, isAnswer('campaign', isCampaign), {});
    expect(isCampaignEvent(await changed)).toBe(true);
    expect(isNoticeEvent(await notice)).toBe(true);
    await passes(cement, 'GET', `/api/campaigns/${campaign.id}`, isCampaignDetail);
    await passes(ozone, 'GET', `/api/campaigns/${campaign.id}`, isCampaignDetail);
    await passes(ozone, 'GET', '/api/campaigns', isItems(isCampaign));
    await passes(ozone, 'GET', `/api/campaigns/${campaign.id}/report`, isCampaignReport);
  });

  it('warnings: issue, change, lift, the list, proposals, the events and the snapshot (an enterprise its view)', async () => {
    const changed = nextEvent(dashboard, 'warning:changed', () => true);
    const body = {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['淄川区'],
      startAt: Date.now(),
      note: '内部',
    };
    const { warning } = await passes(ozone, 'POST', '/api/warnings', isAnswer('warning', isWarningRecord), body);
    expect(isWarningEvent(await changed)).toBe(true);
    const current = (await ozone.call<{ warning: { version: number } }>('GET', `/api/warnings/${warning.id}`)).body.warning;
    await passes(ozone, 'PATCH', `/api/warnings/${warning.id}`, isAnswer('warning', isWarningRecord), {
      version: current.version,
      level: 'red',
    });
    await passes(ozone, 'GET', '/api/warnings', isItems(isWarningRecord));
    await passes(cement, 'GET', '/api/warnings', isItems(isWarningRecord)); // its district's, without the note
    await passes(ozone, 'GET', '/api/warnings/proposals', isProposals);
    const late = await connectDashboard(t.baseUrl, cement);
    const snap = await new Promise<unknown>((res) => {
      late.once('warnings:snapshot', res);
      late.emit('state:resync');
    });
    expect(isWarningsSnapshot(snap)).toBe(true);
    late.close();
    await passes(ozone, 'POST', `/api/warnings/${warning.id}/lift`, isAnswer('warning', isWarningRecord), {});
  });
});
