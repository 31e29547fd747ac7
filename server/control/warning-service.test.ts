/**
 * The warning service on a real store (SQLite file) with an injected clock: a warning issued for
 * later is put in force by the sweep once its start comes (by `system`), a level change is an
 * upgrade or a downgrade in the history, a note alone is `noted`, lifting and cancelling follow the
 * table, and what is announced and sent at each step.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EventBus } from '../domain/internal-events';
import type { Warning } from '../domain/warning';
import { openWarningStore } from '../storage/sql/warning-store';
import { ozoneRulesSchema } from './ozone-rules';
import type { WarningNoticeEvent } from './warning-notice';
import { WarningService } from './warning-service';

const rules = ozoneRulesSchema.parse(parse(readFileSync(resolve(import.meta.dirname, '../../config/rules/ozone.yaml'), 'utf8')));
const H = 3_600_000;

describe('WarningService', () => {
  let dir: string;
  let opened: Awaited<ReturnType<typeof openWarningStore>>;
  let service: WarningService;
  let clock: number;
  const announced: [Warning['status'], number][] = [];
  const sent: [WarningNoticeEvent, Warning['level']][] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-warning-service-'));
    opened = await openWarningStore(join(dir, 'registry.db'));
    clock = Date.UTC(2026, 11, 4, 2);
    announced.length = 0;
    sent.length = 0;
    const events = new EventBus();
    events.on('warning:changed', (w) => announced.push([w.status, w.version]));
    service = new WarningService({
      store: opened.store,
      rules,
      districts: () => ['双塔区', '龙城区'],
      forecasts: async () => [],
      notify: (event, w) => sent.push([event, w.level]),
      events,
      log: pino({ level: 'silent' }),
      now: () => clock,
    });
  });
  afterEach(async () => {
    await service.stop();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const issueLater = () =>
    service.issue(
      { kind: 'heavy_pollution', level: 'yellow', basis: 'city_notice', districts: ['双塔区'], startAt: clock + 2 * H },
      'ozone',
    );

  it('the sweep puts in force what another process issued (it reads the store); off the jobs lease, the start does not sweep', async () => {
    const w = await issueLater();
    clock += 2 * H;
    const another = (when: () => boolean) =>
      new WarningService({
        store: opened.store,
        rules,
        districts: () => ['双塔区'],
        forecasts: async () => [],
        notify: () => undefined,
        events: new EventBus(),
        log: pino({ level: 'silent' }),
        now: () => clock,
        when,
      });
    const off = another(() => false);
    await off.start();
    expect((await service.get(w.id))?.status).toBe('issued'); // not the lease's holder: no sweep at start
    await off.stop();
    await another(() => true).sweep(); // never started, so it knew of no warning: the sweep reads the store
    expect((await service.get(w.id))?.status).toBe('in_force');
  });

  it('a warning issued for later is put in force by the sweep once its start comes, by the system', async () => {
    const w = await issueLater();
    expect(w.status).toBe('issued');
    await service.sweep();
    expect((await service.get(w.id))?.status).toBe('issued');
    clock += 2 * H;
    await service.sweep();
    const started = await service.get(w.id);
    expect(started?.status).toBe('in_force');
    expect(started?.history.map((h) => [h.event, h.by])).toEqual([
      ['issued', 'ozone'],
      ['started', 'system'],
    ]);
    expect(announced).toEqual([
      ['issued', 1],
      ['in_force', 2],
    ]);
    expect(sent).toEqual([['issued', 'yellow']]);
    expect(service.open().map((x) => x.status)).toEqual(['in_force']);
  });

  it('level changes are upgrades or downgrades; a note alone is noted and not sent', async () => {
    const w = await issueLater();
    const up = await service.change(w.id, { version: 1, level: 'red' }, 'ozone');
    const down = await service.change(w.id, { version: up.version, level: 'orange', note: '会商下调' }, 'admin');
    const noted = await service.change(w.id, { version: down.version, note: '补充说明' }, 'ozone');
    expect(noted.history.slice(1).map((h) => [h.event, h.fromLevel, h.toLevel, h.note])).toEqual([
      ['upgraded', 'yellow', 'red', null],
      ['downgraded', 'red', 'orange', '会商下调'],
      ['noted', null, null, '补充说明'],
    ]);
    expect(noted).toMatchObject({ level: 'orange', note: '补充说明', version: 4 });
    expect(sent.map(([e, l]) => `${e}:${l}`)).toEqual(['issued:yellow', 'changed:red', 'changed:orange']);
    await expect(service.change(w.id, { version: 1, level: 'yellow' }, 'ozone')).rejects.toMatchObject({ status: 409 });
  });

  it('an issued warning cannot be lifted, only cancelled; once closed nothing more', async () => {
    const w = await issueLater();
    await expect(service.lift(w.id, null, 'ozone')).rejects.toMatchObject({ status: 409, message: expect.stringContaining('issued') });
    const cancelled = await service.cancel(w.id, '误发', 'ozone');
    expect(cancelled).toMatchObject({ status: 'cancelled', liftedBy: 'ozone', liftedAt: clock });
    await expect(service.change(w.id, { version: cancelled.version, note: 'x' }, 'ozone')).rejects.toMatchObject({ status: 409 });
    expect(sent.map(([e]) => e)).toEqual(['issued', 'cancelled']);
    expect(service.open()).toEqual([]);
  });

  it('refuses a district that is not on the map and a planned lift before the start', async () => {
    await expect(
      service.issue({ kind: 'ozone', level: 'yellow', basis: 'own_forecast', districts: ['朝阳县'], startAt: clock }, 'ozone'),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('朝阳县') });
    const w = await issueLater();
    await expect(service.change(w.id, { version: 1, plannedLiftAt: clock }, 'ozone')).rejects.toMatchObject({ status: 400 });
  });
});
