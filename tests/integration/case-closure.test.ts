/**
 * Issue 19's end-to-end "done means": a simulated falsification pattern to closure after N clean days.
 * An ammonia logger of qilu-power (limit 2.5 mg/m³) publishes over a real Mosquitto values parked at
 * 92–98 % of its limit for four hours (a reading every 20 min: 13 ≥ minSamples 12) → the app's
 * near-limit signature opens a suspected-falsification alert, pushed to the duty officer's socket → the
 * officer acknowledges it and opens a case from it → the logger sends honest values (the alert
 * clears) → the enterprise uploads its report's PDF and submits → the officer accepts, requiring 2
 * clean days → close is refused one day in ("2 clean days are required") and succeeds after two days
 * of honest readings (a reading every 2 h): closed (销号), in the audit trail, and the enterprise's
 * socket told, without the internal note. The enterprise reads the officer by display name, never
 * the account's username (on the case, its socket event and the acknowledged alert); the bureau both.
 * Time is the app's injected clock, moved with the readings' timestamps: "N days without recurrence"
 * is judged from the alert store — no alert of the case's rules on its sources seen since the later
 * of acceptance and the latest recurrence (server/domain/case.ts cleanFrom).
 * Variants: a second case accepted with 3 clean days; the pattern comes back on day 2 → a new alert →
 * close refused on day 3 with "recurred", and the officer returns the case, the enterprise seeing why.
 * A third case: the source silent for twelve hours (offline) within its clean days refuses the close
 * the same way — a silent source proves nothing — and the clean days count again from its return.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { AuditRecord } from '../../server/domain/audit';
import type { CaseView } from '../../server/domain/case';
import type { AlertEvent, CaseEvent } from '../../server/domain/events';
import { addDays, DAY_MS, HOUR_MS, localDate, MINUTE_MS } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { ownMosquitto } from '../helpers/own-broker';
import { connectDashboard, nextEvent, startTestApp, type ApiSession, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const broker = ownMosquitto();

const ENT = 'qilu-power';
const NH3 = '370300NH3000000000000101'; // a21001 limit 2.5 mg/m³ (the test registry)
const NOTE = '疑似人为压低数据，核查DCS曲线';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const OFFICER_NAME = '值班人员 Duty officer'; // the demo officer's display name
const START = Date.parse('2026-07-01T08:00:00+08:00');

describe('a suspected falsification from MQTT to a case closed after N clean days', () => {
  let clock = START;
  let t: TestApp;
  let logger: MqttClient;
  let officerSocket: DashboardSocket;
  let officer: ApiSession;
  let ent: ApiSession;
  let published = 0;
  let caseId = 0;
  const today = () => localDate(clock, 480);
  const signInAgain = async () => {
    // Sessions end by the app's clock: after a jump of days, sign in again.
    [officer, ent] = await Promise.all([t.signIn('officer'), t.signIn(ENT)]);
  };
  const move = (s: ApiSession, id: number, body: Record<string, unknown>) =>
    s.call<{ case: CaseView; error?: string; message?: string }>('POST', `/api/cases/${id}/transition`, body);

  /** Publishes one reading at `ts` (the app's clock a second later) and waits until the server has taken it. */
  async function send(ts: number, value: number): Promise<void> {
    clock = Math.max(clock, ts + 1000);
    const body = JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd: value, flag: 'N' } } });
    await logger.publishAsync(dataTopic(NH3), body, { qos: 1 });
    published++;
    await until(() => t.app.stats.accepted >= published, `the reading at ${new Date(ts).toISOString()}`);
  }
  /** Four hours parked just under the limit: 2.30–2.45 mg/m³ (92–98 %), every 20 min from `from`. */
  async function park(from: number): Promise<number> {
    for (let i = 0; i <= 12; i++) await send(from + i * 20 * MINUTE_MS, 2.3 + (i % 4) * 0.05);
    return from + 12 * 20 * MINUTE_MS;
  }
  /** Honest readings (1.0–1.4 mg/m³) every `stepMs` from `from` to `to`. */
  async function honest(from: number, to: number, stepMs: number): Promise<void> {
    for (let ts = from, i = 0; ts <= to; ts += stepMs, i++) await send(ts, 1 + (i % 5) * 0.1);
  }
  const nearLimitOpened = () =>
    nextEvent(officerSocket, 'alert:opened', (e: AlertEvent) => e.alert.mn === NH3 && e.alert.rule === 'near-limit');

  beforeAll(async () => {
    t = await startTestApp({ MQTT_URL: broker.url(), RULES_TICK_S: '600' }, { now: () => clock });
    officerSocket = await connectDashboard(t.baseUrl);
    logger = await mqtt.connectAsync(broker.url(), { clientId: `closure-${Date.now()}`, reconnectPeriod: 0 });
    await signInAgain();
  });
  afterAll(async () => {
    officerSocket?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  /** Parks the values, waits for the alert on the officer's socket, acknowledges it, opens a case from it. */
  async function caseFromPattern(from: number): Promise<{ alert: Alert; c: CaseView }> {
    const opened = nearLimitOpened();
    await park(from);
    const { alert } = await opened;
    await signInAgain();
    expect((await officer.call('POST', `/api/alerts/${alert.id}/acknowledge`, { note: '立案核查' })).status).toBe(200);
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'falsification',
      alertIds: [alert.id],
      officer: 'officer',
      deadline: { kind: 'date', date: addDays(today(), 10) },
      requirements: ['说明氨逃逸数据长时间贴近限值的原因', '提交DCS运行曲线与整改报告'],
      internalNote: NOTE,
    });
    expect(made.status).toBe(201);
    return { alert, c: made.body.case };
  }

  it('parked values raise a suspected near-limit alert on the officer’s socket; a case is opened from it', async () => {
    const { alert, c } = await caseFromPattern(START);
    expect(alert).toMatchObject({ enterpriseId: ENT, severity: 'warning', limit: 2.5, openedAt: START + 4 * HOUR_MS });
    expect(alert.evidence).toMatchObject({ since: START, windowEnd: START + 4 * HOUR_MS, samples: 13, bandLow: 2.25, bandHigh: 2.5 });
    expect(c).toMatchObject({ type: 'falsification', enterpriseId: ENT, sources: [NH3], rules: ['near-limit'], status: 'open' });
    caseId = c.id;
    // The bureau reads each person's account and display name; the enterprise only the name, on the case and the alert.
    expect(c).toMatchObject({ officer: 'officer', names: { officer: OFFICER_NAME } });
    const seen = await ent.call<{ case: CaseView }>('GET', `/api/cases/${caseId}`);
    expect(seen.body.case).toMatchObject({ officer: OFFICER_NAME, createdBy: OFFICER_NAME, history: [{ by: OFFICER_NAME }] });
    expect(seen.body.case.names).toBeUndefined();
    const entAlert = await ent.call<{ alert: Alert; history: { actor: string }[] }>('GET', `/api/alerts/${alert.id}`);
    expect(entAlert.body.alert.acknowledgedBy).toBe(OFFICER_NAME);
    expect(entAlert.body.history.map((h) => h.actor)).toContain(OFFICER_NAME);
    expect(JSON.stringify([seen.body, entAlert.body])).not.toMatch(/:"officer"/);
  });

  it('the enterprise fixes it, uploads its report’s PDF and submits; the officer accepts with 2 clean days', async () => {
    await honest(START + 4 * HOUR_MS + 20 * MINUTE_MS, START + 6 * HOUR_MS, 20 * MINUTE_MS);
    const up = await ent.fetch(`/api/cases/${caseId}/attachments?name=${encodeURIComponent('整改报告.pdf')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: PDF,
    });
    expect(up.status).toBe(201);
    const { attachment } = (await up.json()) as { attachment: { id: string } };
    const sent = await move(ent, caseId, { action: 'submit', text: '已校准分析仪并恢复正常运行，附整改报告' });
    expect(sent.body.case).toMatchObject({ status: 'submitted', report: { attachmentIds: [attachment.id] } });
    const accepted = await move(officer, caseId, { action: 'accept', cleanDays: 2 });
    expect(accepted.body.case).toMatchObject({ status: 'verifying', cleanDays: 2, verifyingSince: clock });
  });

  it('refuses to close before 2 clean days, closes after them; audited, and the enterprise’s socket is told', async () => {
    const since = clock;
    await honest(since + 2 * HOUR_MS, since + DAY_MS, 2 * HOUR_MS);
    await signInAgain();
    const early = await move(officer, caseId, { action: 'close' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'case_not_clean', message: '2 clean days are required' });

    await honest(since + DAY_MS + 2 * HOUR_MS, since + 2 * DAY_MS + 2 * HOUR_MS, 2 * HOUR_MS);
    await signInAgain();
    const entSocket = await connectDashboard(t.baseUrl, ent);
    try {
      const told = nextEvent(entSocket, 'case:changed', (e: CaseEvent) => e.case.id === caseId && e.case.status === 'closed');
      const closed = await move(officer, caseId, { action: 'close', note: '两日复核无复发，销号' });
      expect(closed.status).toBe(200);
      expect(closed.body.case).toMatchObject({ status: 'closed', closedBy: 'officer', closedAt: clock });
      const { case: seen } = await told;
      expect(seen).toMatchObject({ internalNote: null, closedBy: OFFICER_NAME, officer: OFFICER_NAME });
      expect(JSON.stringify(seen)).not.toContain('DCS曲线');
    } finally {
      entSocket.close();
    }
    const admin = await t.signIn('admin');
    const audit = await admin.call<{ items: AuditRecord[] }>('GET', `/api/audit?target=case:${caseId}&limit=100`);
    expect(audit.body.items.map((r) => `${r.action} ${r.username}`).sort()).toEqual(
      [
        'case.created officer',
        'case.attachment_added qilu-power',
        'case.submitted qilu-power',
        'case.accepted officer',
        'case.closed officer',
      ].sort(),
    );
  });

  it('a recurrence within the clean days refuses the close with a clear message; the officer returns the case', async () => {
    const { c } = await caseFromPattern(clock + HOUR_MS);
    await honest(clock + 20 * MINUTE_MS, clock + 2 * HOUR_MS, 20 * MINUTE_MS);
    expect((await move(ent, c.id, { action: 'submit', text: '已整改' })).status).toBe(200);
    const accepted = await move(officer, c.id, { action: 'accept', cleanDays: 3 });
    expect(accepted.body.case.status).toBe('verifying');
    const since = clock;

    await honest(since + 2 * HOUR_MS, since + DAY_MS, 2 * HOUR_MS);
    const again = nearLimitOpened();
    const recurredAt = await park(since + DAY_MS + 2 * HOUR_MS);
    const { alert } = await again;
    expect(alert.lastSeenAt).toBe(recurredAt);
    await honest(recurredAt + 2 * HOUR_MS, since + 3 * DAY_MS + 2 * HOUR_MS, 2 * HOUR_MS);
    await signInAgain();
    const refused = await move(officer, c.id, { action: 'close' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'case_not_clean',
      message: "an alert or an outage recurred on the case's sources: 3 clean days are required after it",
    });
    const returned = await move(officer, c.id, { action: 'return', reason: '核查期内数据再次贴近限值，重新整改' });
    expect(returned.body.case.status).toBe('returned');
    const seen = await ent.call<{ case: CaseView }>('GET', `/api/cases/${c.id}`);
    expect(seen.body.case).toMatchObject({ status: 'returned', returnReason: '核查期内数据再次贴近限值，重新整改', internalNote: null });
  });

  it('an outage on the case’s source within the clean days counts as a recurrence: a silent source proves nothing', async () => {
    // A case of its own on the earlier near-limit alert (the rules it counts: near-limit, and outages).
    await signInAgain();
    const nearLimit = (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${NH3}`)).body.items.find(
      (a) => a.rule === 'near-limit',
    );
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'falsification',
      alertIds: [nearLimit?.id],
      officer: 'officer',
      deadline: { kind: 'date', date: addDays(today(), 10) },
      requirements: ['说明数据贴近限值的原因'],
    });
    expect(made.status).toBe(201);
    const c = made.body.case;
    await honest(clock + 20 * MINUTE_MS, clock + 2 * HOUR_MS, 20 * MINUTE_MS);
    expect((await move(ent, c.id, { action: 'submit', text: '已整改' })).status).toBe(200);
    expect((await move(officer, c.id, { action: 'accept', cleanDays: 2 })).body.case.status).toBe('verifying');
    const since = clock;
    await honest(since + 2 * HOUR_MS, since + 12 * HOUR_MS, 2 * HOUR_MS);
    // Twelve silent hours, judged by the time-driven rules: the source is offline.
    clock = since + DAY_MS;
    t.app.rules.tick();
    await signInAgain();
    const alerts = await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${NH3}&open=true`);
    const outage = alerts.body.items.find((a) => a.rule === 'offline');
    if (!outage) throw new Error('no offline alert after twelve silent hours');
    expect(outage.openedAt).toBe(since + DAY_MS);
    await honest(since + DAY_MS + HOUR_MS, since + 2 * DAY_MS + 2 * HOUR_MS, 2 * HOUR_MS);
    await signInAgain();
    const refused = await move(officer, c.id, { action: 'close' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe("an alert or an outage recurred on the case's sources: 2 clean days are required after it");
    // Two clean days with data after the outage: closed.
    await honest(since + 2 * DAY_MS + 4 * HOUR_MS, outage.lastSeenAt + 2 * DAY_MS + HOUR_MS, 2 * HOUR_MS);
    await signInAgain();
    expect((await move(officer, c.id, { action: 'close' })).body.case.status).toBe('closed');
  });
});
