import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, effectScope, nextTick } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { useUrlQuery } from './use-url-query';

const DEFAULTS = { q: '', kind: '', sort: 'registry', page: '1' };
const Blank = defineComponent({ render: () => null });

/** The composable bound to a memory router (no DOM: run in the app's context). */
async function setup(start = '/list'): Promise<{ router: Router; bound: ReturnType<typeof useUrlQuery<typeof DEFAULTS>> }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/list', name: 'list', component: Blank },
      { path: '/other', name: 'other', component: Blank },
    ],
  });
  const app = createApp(Blank).use(router);
  await router.push(start);
  const scope = effectScope();
  const bound = scope.run(() =>
    app.runWithContext(() => useUrlQuery({ ...DEFAULTS }, { instant: ['sort', 'page'], pageKey: 'page', debounceMs: 300 })),
  ) as ReturnType<typeof useUrlQuery<typeof DEFAULTS>>;
  return { router, bound };
}
const settle = async () => {
  await nextTick();
  await vi.runAllTimersAsync();
  await nextTick();
};

describe('useUrlQuery', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('starts from the URL', async () => {
    const { bound } = await setup('/list?q=窑尾&page=3');
    expect({ ...bound.state }).toEqual({ ...DEFAULTS, q: '窑尾', page: '3' });
    expect(bound.applied.value).toEqual({ ...DEFAULTS, q: '窑尾', page: '3' });
  });

  it('a filter typed is written once typing stops, back on the first page; the URL is replaced, not pushed', async () => {
    const { router, bound } = await setup('/list?page=4');
    const push = vi.spyOn(router, 'push');
    bound.state.q = '窑';
    await nextTick();
    bound.state.q = '窑尾';
    await nextTick();
    expect(router.currentRoute.value.query).toEqual({ page: '4' });
    await vi.advanceTimersByTimeAsync(299);
    expect(router.currentRoute.value.query).toEqual({ page: '4' });
    await settle();
    expect(router.currentRoute.value.query).toEqual({ q: '窑尾' });
    expect(bound.applied.value).toMatchObject({ q: '窑尾', page: '1' });
    expect(push).not.toHaveBeenCalled();
  });

  it('a page or sort change is written at once and keeps the filter', async () => {
    const { router, bound } = await setup('/list?q=窑尾');
    bound.state.page = '2';
    await nextTick();
    expect(vi.getTimerCount()).toBe(0); // not debounced
    await settle();
    expect(router.currentRoute.value.query).toEqual({ q: '窑尾', page: '2' });
    bound.state.sort = 'name';
    await settle();
    expect(router.currentRoute.value.query).toEqual({ q: '窑尾', sort: 'name', page: '2' });
  });

  it('the URL changed from outside (a link, back): the controls follow; leaving the page changes nothing', async () => {
    const { router, bound } = await setup('/list?q=窑尾&kind=cems');
    await router.push('/list?kind=vocs');
    await settle();
    expect({ ...bound.state }).toEqual({ ...DEFAULTS, kind: 'vocs' });
    await router.push('/other');
    await settle();
    expect(bound.applied.value).toEqual({ ...DEFAULTS, kind: 'vocs' });
    expect(router.currentRoute.value.fullPath).toBe('/other');
  });

  it('reset clears every key', async () => {
    const { router, bound } = await setup('/list?q=窑尾&kind=cems&page=2');
    bound.reset();
    await settle();
    expect(router.currentRoute.value.query).toEqual({});
  });
});
