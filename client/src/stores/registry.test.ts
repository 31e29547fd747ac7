import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/rest';
import { useRegistryStore } from './registry';

type Call = { method: string; url: string; body: unknown };
/** A fetch that answers by `METHOD path` and records every call (the server's REST contract). */
function server(routes: Record<string, (body: unknown) => [number, unknown]>) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, url, body });
    const route = routes[`${method} ${url}`];
    const [status, answer] = route ? route(body) : [404, { error: 'not_found', message: 'no route' }];
    return new Response(status === 204 ? null : JSON.stringify(answer), { status });
  }) as typeof fetch;
  return { fetchFn, calls };
}

const ENT = { id: 'coke', name: '龙城焦化', district: '龙城区' };
const SOURCE = {
  mn: '211300CEMS00000000000901',
  enterpriseId: 'coke',
  name: '焦炉烟囱',
  kind: 'cems',
  lat: 41.5,
  lon: 120.4,
  position: 'outlet',
  intervalS: 30,
  limits: {},
};

describe('registry store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads the enterprises and a file', async () => {
    const { fetchFn } = server({
      'GET /api/enterprises': () => [200, { items: [{ ...ENT, sourceCount: 1, facilityCount: 0 }] }],
      'GET /api/enterprises/coke': () => [200, { enterprise: ENT, sources: [SOURCE], facilities: [], gradeHistory: [] }],
    });
    const store = useRegistryStore();
    await store.loadEnterprises(fetchFn);
    await store.loadFile('coke', fetchFn);
    expect(store.enterprises.map((e) => e.id)).toEqual(['coke']);
    expect(store.sources.map((s) => s.mn)).toEqual([SOURCE.mn]);
    expect(store.nameOf('coke')).toBe('龙城焦化');
  });

  it('creating a source returns the credentials once and reads the file again; none are kept', async () => {
    let sources: unknown[] = [];
    const { fetchFn, calls } = server({
      'GET /api/enterprises': () => [200, { items: [{ ...ENT, sourceCount: sources.length, facilityCount: 0 }] }],
      'GET /api/enterprises/coke': () => [200, { enterprise: ENT, sources, facilities: [], gradeHistory: [] }],
      'POST /api/sources': (body) => {
        sources = [body];
        return [201, { source: body, credentials: { pw: 'Pw-1', mqttPassword: 'mqtt-secret-1' } }];
      },
    });
    const store = useRegistryStore();
    const { mn: _mn, ...rest } = SOURCE;
    const created = await store.createSource({ ...SOURCE, ...rest } as never, fetchFn);
    expect(created.credentials).toEqual({ pw: 'Pw-1', mqttPassword: 'mqtt-secret-1' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/sources', 'GET /api/enterprises', 'GET /api/enterprises/coke']);
    expect(store.enterprises[0]?.sourceCount).toBe(1);
    expect(JSON.stringify(store.files.get('coke'))).not.toContain('mqtt-secret-1');
    expect(store.changes).toBe(1);
  });

  it('a source is changed by PATCH with only what changed; a cleared field is sent as null', async () => {
    const { fetchFn, calls } = server({
      [`PATCH /api/sources/${SOURCE.mn}`]: (body) => [200, { source: { ...SOURCE, ...(body as object) } }],
      'GET /api/enterprises': () => [200, { items: [] }],
      'GET /api/enterprises/coke': () => [200, { enterprise: ENT, sources: [SOURCE], facilities: [], gradeHistory: [] }],
    });
    const before = { ...SOURCE, stackHeightM: 60 } as never;
    await useRegistryStore().updateSource(before, { ...SOURCE, name: '新名称' } as never, fetchFn);
    expect(calls[0]?.body).toEqual({ name: '新名称', stackHeightM: null });
  });

  it('deleting an enterprise that still has sources is refused with 409, and the list stays', async () => {
    const { fetchFn } = server({
      'GET /api/enterprises': () => [200, { items: [{ ...ENT, sourceCount: 1, facilityCount: 0 }] }],
      'DELETE /api/enterprises/coke': () => [409, { error: 'conflict', message: 'enterprise "coke" still has 1 source' }],
    });
    const store = useRegistryStore();
    await store.loadEnterprises(fetchFn);
    const refusal = await store.deleteEnterprise('coke', fetchFn).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(409);
    expect(store.enterprises).toHaveLength(1);
  });

  it('an unexpected body is refused, not stored', async () => {
    const { fetchFn } = server({ 'GET /api/enterprises': () => [200, { items: [{ id: 'x' }] }] });
    const store = useRegistryStore();
    await store.loadEnterprises(fetchFn);
    expect(store.enterprises).toEqual([]);
    expect((store.error as ApiError).code).toBe('unexpected_body');
  });
});
