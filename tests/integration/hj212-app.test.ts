/**
 * HJ 212 in the running app: a data logger connects to the app's TCP listener, uploads an ammonia
 * slip over the limit with the ack bit set, gets its 9014 once the reading is durable, and the
 * dashboard sees the alert; the raw frame is in the archive.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201';

describe('HJ 212 over TCP into the app', () => {
  let t: TestApp;
  let dashboard: DashboardSocket;
  beforeAll(async () => {
    t = await startTestApp();
    dashboard = await connectDashboard(t.baseUrl);
  });
  afterAll(async () => {
    dashboard?.close();
    await t?.stop();
  });

  it('an exceeding upload opens an alert, is answered with 9014 and archived as received', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 2_000;
    const qn = formatQn(at);
    const frame = encodeFrameText({
      qn,
      st: '31',
      cn: '2011',
      pw: t.config.registry.sources.find((s) => s.mn === CEMENT_NH3)?.pw ?? '',
      mn: CEMENT_NH3,
      flag: 5, // version 1 (2017), ack requested
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: '9.1', Flag: 'N' } }] },
    });

    const opened = nextEvent(dashboard, 'alert:opened', (e) => e.alert.mn === CEMENT_NH3);
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    const reply = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (b) => {
        text += b.toString('utf8');
        if (text.includes('\r\n')) resolve(text);
      });
    });
    socket.write(frame);
    const { alert } = await opened;
    expect(alert).toMatchObject({ factor: 'a21001', value: 9.1, limit: 8, openedAt: at });
    const answer = await reply;
    socket.destroy();
    expect(answer).toMatch(/^##\d{4}QN=/);
    expect(answer).toContain('CN=9014');
    expect(answer).toContain(`QN=${qn}`);

    const res = await (await t.signIn('officer')).fetch(`/api/sources/${CEMENT_NH3}/frames?from=${at - 60_000}`);
    const { items } = (await res.json()) as { items: { frame?: string; verdict: string }[] };
    expect(items.map((i) => i.frame)).toContain(frame.trimEnd().replace(/;PW=[^;]*;/, ';PW=***;'));
  });
});
