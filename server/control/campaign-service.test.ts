import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Campaign } from '../domain/campaign';
import { EventBus } from '../domain/internal-events';
import { registrySchema } from '../domain/registry';
import { createLogger } from '../logger';
import { RegistryHolder } from '../registry/registry-holder';
import { openControlStore, type KyselyControlStore } from '../storage/sql/control-store';
import type { TelemetryStore } from '../storage/telemetry-store';
import { ComplianceCalculator } from './campaign-compliance';
import { CampaignService, type CreateCampaignInput } from './campaign-service';
import { ozoneRulesSchema } from './ozone-rules';
import { TEST_REGISTRY_FILE } from '../../tests/helpers/fixtures';

const root = resolve(import.meta.dirname, '../..');
const demo = registrySchema.parse(parse(readFileSync(TEST_REGISTRY_FILE, 'utf8')));
const rules = ozoneRulesSchema.parse(parse(readFileSync(resolve(root, 'config/rules/ozone.yaml'), 'utf8')));
const H = 3_600_000;
const T0 = Date.parse('2026-07-15T09:00:00+08:00');

/** A store with no data: compliance is `nodata`, never a failure. */
const emptyStore = { name: 'empty', series: async () => [] } as unknown as TelemetryStore;

describe('campaign service (state, notices, expiry)', () => {
  let clock = T0;
  let store: KyselyControlStore;
  let service: CampaignService;
  let registry: RegistryHolder;
  const events: string[] = [];
  const input: CreateCampaignInput = {
    name: '夏季臭氧特别管控',
    level: 'light',
    from: T0,
    to: T0 + 8 * H,
    target: { enterpriseIds: ['zichuan-cement'], kinds: ['vapour'], districts: [] },
    measures: ['depot-night-unloading'],
  };

  beforeEach(async () => {
    clock = T0;
    events.length = 0;
    store = await openControlStore(':memory:', () => clock);
    const bus = new EventBus();
    registry = new RegistryHolder(demo, bus);
    service = new CampaignService({
      store,
      registry,
      rules,
      compliance: new ComplianceCalculator(emptyStore, registry, rules),
      log: createLogger('silent'),
      now: () => clock,
      events: bus,
    });
    bus.on('campaign:changed', (c) => events.push(`campaign ${c.state}`));
    bus.on('notice:sent', ({ kind, notice: n }) => events.push(`${kind} ${n.enterpriseId}`));
  });
  afterEach(() => store.close());

  it('an enterprise added at run time is a target of the next activation', async () => {
    const fresh = { id: 'new-depot', name: '新建油库', district: demo.enterprises[0]!.district };
    const source = { ...demo.sources.find((x) => x.kind === 'vapour')!, mn: '370300VRS000000000009901', enterpriseId: fresh.id };
    registry.replace({ ...demo, enterprises: [...demo.enterprises, fresh], sources: [...demo.sources, source] }, 'test');
    const draft = await service.create({ ...input, target: { enterpriseIds: [fresh.id], kinds: [], districts: [] } }, 'ozone');
    expect((await service.activate(draft.id, 'ozone')).affected).toEqual([fresh.id]);
  });

  it('creates a draft with the default target and the measure texts; activation resolves and notifies', async () => {
    const draft = await service.create(input, 'ozone');
    expect(draft).toMatchObject({
      state: 'draft',
      reductionPct: 20,
      affected: [],
      measures: [{ id: 'depot-night-unloading', zh: expect.stringContaining('卸油') }],
    });
    const active = await service.activate(draft.id, 'ozone');
    expect(active.affected).toEqual(['zichuan-cement', 'zhangdian-fuel', 'zhoucun-depot']);
    expect(events).toEqual(['campaign draft', 'campaign active', 'sent zichuan-cement', 'sent zhangdian-fuel', 'sent zhoucun-depot']);
    expect((await service.notices(draft.id)).map((n) => [n.enterpriseId, n.sentAt, n.acknowledgedAt])).toEqual([
      ['zhangdian-fuel', T0, null],
      ['zhoucun-depot', T0, null],
      ['zichuan-cement', T0, null],
    ]);
  });

  it('an acknowledgement is recorded once and announced once', async () => {
    const c = await service.activate((await service.create(input, 'ozone')).id, 'ozone');
    clock += 60_000;
    expect(await service.acknowledge(c.id, 'zichuan-cement', 'zichuan-cement', '收到')).toMatchObject({
      acknowledgedAt: T0 + 60_000,
      note: '收到',
    });
    clock += 60_000;
    expect(await service.acknowledge(c.id, 'zichuan-cement', 'zichuan-cement', null)).toMatchObject({
      acknowledgedAt: T0 + 60_000,
      note: '收到',
    });
    expect(events.filter((e) => e.startsWith('acknowledged'))).toEqual(['acknowledged zichuan-cement']);
    await expect(service.acknowledge(c.id, 'qilu-power', 'qilu-power', null)).rejects.toThrow(/not found/);
  });

  it('refuses transitions out of order (the table is in campaign-transition.test.ts)', async () => {
    const c = await service.activate((await service.create(input, 'ozone')).id, 'ozone');
    await expect(service.activate(c.id, 'ozone')).rejects.toThrow(/active cannot be activated/);
    expect((await service.cancel(c.id, 'ozone')).state).toBe('cancelled');
    await expect(service.end(c.id, 'ozone')).rejects.toThrow(/cancelled cannot be ended/);
    await expect(service.acknowledge(c.id, 'zichuan-cement', 'zichuan-cement', null)).rejects.toThrow(/only an active campaign/);
  });

  it('refuses to activate a campaign whose period is over or whose target matches nobody', async () => {
    const late = await service.create(input, 'ozone');
    clock = T0 + 8 * H;
    await expect(service.activate(late.id, 'ozone')).rejects.toThrow(/period is over/);
    const nobody = await service.create(
      { ...input, to: T0 + 20 * H, target: { enterpriseIds: [], kinds: ['ambient'], districts: [] } },
      'ozone',
    );
    await expect(service.activate(nobody.id, 'ozone')).rejects.toThrow(/matches no enterprise/);
  });

  it('the sweep ends an active campaign once its period is over and keeps its compliance', async () => {
    const c = await service.activate((await service.create(input, 'ozone')).id, 'ozone');
    clock = T0 + 7 * H;
    await service.sweep();
    expect((await service.get(c.id))?.state).toBe('active');
    clock = T0 + 8 * H + 1;
    await service.sweep();
    expect(await service.get(c.id)).toMatchObject({ state: 'ended', closedBy: 'system', closedAt: T0 + 8 * H });
    const compliance = await store.loadCompliance(c.id);
    expect(compliance?.window).toEqual({ from: T0, to: T0 + 8 * H });
    // The cement kiln has a CEMS outlet (no data here); the fuel station and depot have nothing compared.
    expect(compliance?.enterprises.map((e) => [e.enterpriseId, e.status])).toEqual([
      ['zichuan-cement', 'nodata'],
      ['zhangdian-fuel', 'not_monitored'],
      ['zhoucun-depot', 'not_monitored'],
    ]);
    expect((await service.report((await service.get(c.id)) as Campaign)).summary).toEqual({
      affected: 3,
      acknowledged: 0,
      compliant: 0,
      flagged: 0,
      nodata: 1,
      notMonitored: 2,
    });
  });
});
