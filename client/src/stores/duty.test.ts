import { DEFAULT_ESCALATION, DEFAULT_SUBSCRIPTION, type DutyView } from '@domain/duty';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDutyStore } from './duty';

const H = 3_600_000;
const view = (shifts: DutyView['shifts']): DutyView => ({
  shifts,
  escalation: DEFAULT_ESCALATION,
  onDuty: { primary: 'zhou', backup: null },
  users: [
    { username: 'zhou', displayName: '周值班', role: 'officer', enterpriseId: null, contacts: { email: 'z@sthj.example.cn', phone: null } },
    {
      username: 'qilu-power',
      displayName: '齐鲁热电',
      role: 'enterprise',
      enterpriseId: 'qilu-power',
      contacts: { email: null, phone: null },
    },
  ],
});
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('duty store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads the roster by start, names people by display name, offers only bureau accounts for shifts; adds and removes', async () => {
    const store = useDutyStore();
    const later = { id: 'b', username: 'zhou', position: 'backup' as const, startsAt: 2 * H, endsAt: 3 * H };
    const first = { id: 'a', username: 'zhou', position: 'primary' as const, startsAt: H, endsAt: 2 * H };
    let shifts = [later, first];
    const calls: string[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push(`${String(init.method)} ${url}`);
      if (init.method === 'POST') return answer(201, { shift: first });
      if (init.method === 'DELETE') {
        shifts = [first];
        return answer(200, { shift: later });
      }
      if (init.method === 'PUT') return answer(200, { escalation: JSON.parse(String(init.body)) });
      return answer(200, view(shifts));
    }) as typeof fetch;
    await store.load(fetchFn);
    expect(store.shifts.map((s) => s.id)).toEqual(['a', 'b']);
    expect(store.nameOf('zhou')).toBe('周值班');
    expect(store.officers.map((u) => u.username)).toEqual(['zhou']);
    await store.removeShift('b', fetchFn);
    expect(calls).toEqual(['GET /api/duty', 'DELETE /api/duty/shifts/b', 'GET /api/duty']);
    expect(store.shifts.map((s) => s.id)).toEqual(['a']);
    await store.saveEscalation({ ...DEFAULT_ESCALATION, minSeverity: 'major' }, fetchFn);
    expect(store.view?.escalation.minSeverity).toBe('major');
  });

  it('one’s own settings: read and saved; a refusal comes back as its code', async () => {
    const store = useDutyStore();
    const mine = {
      contacts: { email: 'z@sthj.example.cn', phone: null },
      subscription: DEFAULT_SUBSCRIPTION,
      canEmail: true,
      canSms: false,
    };
    await store.loadMine((async () => answer(200, mine)) as unknown as typeof fetch);
    expect(store.mine).toEqual(mine);
    const refused = (async () => answer(400, { error: 'invalid_request', message: 'bad phone' })) as unknown as typeof fetch;
    await expect(store.saveMine({ contacts: mine.contacts, subscription: mine.subscription }, refused)).rejects.toMatchObject({
      status: 400,
    });
  });

  it('an administrator’s contacts change keeps the person’s subscription', async () => {
    const store = useDutyStore();
    const calls: { method: string; url: string; body: unknown }[] = [];
    const subscription = { ...DEFAULT_SUBSCRIPTION, enabled: true, quietHours: { from: '22:00', to: '07:00' } };
    const settings = { contacts: { email: null, phone: null }, subscription, canEmail: true, canSms: true };
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (url === '/api/duty') return answer(200, view([]));
      return answer(200, settings);
    }) as typeof fetch;
    await store.saveContacts('zhou', { email: 'zhou@sthj.example.cn', phone: '13800138000' }, fetchFn);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/duty/users/zhou/settings',
      'PUT /api/duty/users/zhou/settings',
      'GET /api/duty',
    ]);
    expect(calls[1]?.body).toEqual({ contacts: { email: 'zhou@sthj.example.cn', phone: '13800138000' }, subscription });
  });
});
