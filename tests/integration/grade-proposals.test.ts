/**
 * Grade downgrade proposals on the real app (issue 18 item 4; the embedded broker, the app's clock
 * driven through 2026-12-02 and 03 China time, a real SMTP server):
 * - 齐鲁热电 (grade B) keeps its line running through an orange response: a measure-noncompliance
 *   alert, but one failed response proposes nothing;
 * - it fails again in the next day's response (the same alert, still open, reactivated): a proposal
 *   of grade C with both responses as evidence, for officers and administrators only;
 * - confirming applies grade C through the registry (history with the reason 未落实减排措施…),
 *   audited, and the enterprise's user gets the notice by email; a decided proposal refuses another
 *   decision.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { GradeProposal } from '../../server/domain/grade-downgrade';
import type { GradeEntry } from '../../server/domain/registry-api';
import type { ReductionResponse } from '../../server/domain/response';
import { CLOSED_AFTER, H, QILU, issueWarning, prepareRunningLine, sendHour } from '../helpers/running-line';
import { SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';

const T1 = Date.parse('2026-12-02T10:00:00+08:00');
const T2 = Date.parse('2026-12-03T10:00:00+08:00');
const QILU_MAIL = 'env@qilu.example.cn';

describe('repeated measure non-compliance proposes a grade downgrade for an officer to confirm', () => {
  const smtp = new SmtpSink();
  let clock = T1 - H / 2;
  let t: TestApp;
  let admin: ApiSession;
  let ozone: ApiSession;
  let officer: ApiSession;
  let qilu: ApiSession;
  let logger: MqttClient;
  const responseIds: number[] = [];
  let proposal: GradeProposal;

  const signInAll = async () => {
    [admin, ozone, officer, qilu] = await Promise.all([t.signIn('admin'), t.signIn('ozone'), t.signIn('officer'), t.signIn('qilu-power')]);
  };
  const proposals = async (s: ApiSession) => s.call<{ items: GradeProposal[] }>('GET', '/api/grade-proposals');
  const measureAlerts = async () =>
    (await officer.call<{ items: Alert[] }>('GET', '/api/alerts?rule=measure-noncompliance&limit=100')).body.items;

  /** A response from `start`: the line runs two whole hours at 800 kW; the verifier judges them. */
  async function failedResponse(start: number): Promise<number> {
    clock = start;
    const warning = await issueWarning(ozone, 'orange', start);
    const response = await eventually(async () => {
      const items = (await officer.call<{ items: ReductionResponse[] }>('GET', `/api/responses?warningId=${warning.id}`)).body.items;
      return items[0];
    }, 'the response planned');
    for (const hour of [start, start + H]) {
      clock = hour + H + 10_000;
      await sendHour(logger, officer, hour, 800);
    }
    clock = start + 2 * H + CLOSED_AFTER;
    await t.app.responses.verifier.tick();
    await until(async () => (await measureAlerts()).some((a) => a.state === 'active'), 'the non-compliance alert');
    expect((await ozone.call('POST', `/api/warnings/${warning.id}/lift`, {})).status).toBe(200);
    await until(async () => (await measureAlerts()).every((a) => a.state !== 'active'), 'the alert cleared at the lift');
    return response.id;
  }

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', SMTP_FROM: 'o3-alerts@sthj.example.cn' },
      { now: () => clock },
    );
    await signInAll();
    logger = await prepareRunningLine(t, admin, 'B', clock);
    const me = await qilu.call('PUT', '/api/notify-settings/me', {
      contacts: { email: QILU_MAIL, phone: null },
      subscription: { enabled: false, minSeverity: 'critical', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    expect(me.status).toBe(200);
  });
  afterAll(async () => {
    await logger?.endAsync(true);
    await t?.stop();
    await smtp.close();
  });

  it('one failed response raises its alert but proposes nothing', async () => {
    responseIds.push(await failedResponse(T1));
    expect((await measureAlerts()).map((a) => [a.mn, a.factor, a.evidence?.['responseId']])).toEqual([[QILU, 'gkw01', responseIds[0]]]);
    expect((await proposals(officer)).body.items).toEqual([]);
  });

  it('a second failed response proposes grade C with both responses as evidence; the bureau’s duty room only', async () => {
    clock = T2;
    await signInAll(); // a day later: the sessions of yesterday have ended
    responseIds.push(await failedResponse(T2));
    proposal = await eventually(async () => (await proposals(officer)).body.items[0], 'the proposal');
    const [alert] = await measureAlerts();
    expect(proposal).toMatchObject({
      enterpriseId: 'qilu-power',
      fromGrade: 'B',
      toGrade: 'C',
      status: 'pending',
      responseIds,
      decidedAt: null,
    });
    // The alert still open from the first response was reactivated: it counts for each response it failed in.
    expect(proposal.evidence.map((e) => [e.alertId, e.responseId, e.entry, e.measure, e.level])).toEqual(
      responseIds.map((r) => [alert?.id, r, '1号机组', '停产', 'Ⅱ级（橙色）']),
    );
    expect((await proposals(admin)).body.items.map((p) => p.id)).toEqual([proposal.id]);
    for (const s of [qilu, ozone]) {
      expect((await proposals(s)).status).toBe(403);
      expect((await s.call('POST', `/api/grade-proposals/${proposal.id}/confirm`, {})).status).toBe(403);
    }
    const audit = await admin.call<{ items: { action: string; target: string }[] }>(
      'GET',
      '/api/audit?action=reductions.downgrade_proposed',
    );
    expect(audit.body.items.map((a) => a.target)).toEqual([`grade-proposal:${proposal.id}`]);
  });

  it('confirming applies grade C with its history and reason, audited, and tells the enterprise', async () => {
    expect((await officer.call('POST', `/api/grade-proposals/${proposal.id}/dismiss`, {})).status).toBe(400);
    const confirmed = await officer.call<{ proposal: GradeProposal }>('POST', `/api/grade-proposals/${proposal.id}/confirm`, {
      note: '经现场核查属实',
    });
    expect(confirmed.status).toBe(200);
    const reason = '未落实减排措施：2 次应急响应中未按清单落实（减排措施未落实告警 2 条），按规定下调绩效分级；经现场核查属实';
    expect(confirmed.body.proposal).toMatchObject({ status: 'confirmed', decidedBy: 'officer', decidedAt: clock, decisionReason: reason });
    const file = await admin.call<{ enterprise: { grade: string }; gradeHistory: GradeEntry[] }>('GET', '/api/enterprises/qilu-power');
    expect(file.body.enterprise.grade).toBe('C');
    expect(file.body.gradeHistory.at(-1)).toEqual({ grade: 'C', from: clock, reason, by: 'officer' });
    const actions = (await admin.call<{ items: { action: string; username: string }[] }>('GET', '/api/audit?username=officer')).body.items;
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['reductions.downgrade_confirmed', 'registry.grade_changed']));
    const downgraded = () => smtp.mails.filter((m) => m.to.includes(QILU_MAIL) && m.subject === '【绩效分级调整】齐鲁示范热电有限公司');
    await until(() => downgraded().length > 0, 'the notice to the enterprise');
    const mail = downgraded()[0];
    expect(mail?.text).toContain('绩效分级：B级 → C级');
    expect(mail?.text).toContain(reason);
    expect((await officer.call('POST', `/api/grade-proposals/${proposal.id}/dismiss`, { reason: '重复' })).status).toBe(409);
    expect((await officer.call('GET', '/api/grade-proposals/999')).status).toBe(404);
  });
});
