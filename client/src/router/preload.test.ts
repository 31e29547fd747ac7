import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { preloadPage } from './index';

describe('preloadPage', () => {
  it('starts loading the lazy page the path resolves to, and nothing for a page that is not lazy', () => {
    const wall = vi.fn(() => Promise.resolve({ render: () => null }));
    const sources = vi.fn(() => Promise.resolve({ render: () => null }));
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: { render: () => null } },
        { path: '/wall', component: wall },
        { path: '/sources', component: sources },
      ],
    });
    preloadPage(router, '/wall');
    expect(wall).toHaveBeenCalledOnce();
    expect(sources).not.toHaveBeenCalled();
    preloadPage(router, '/');
    preloadPage(router, '/nowhere');
    expect(sources).not.toHaveBeenCalled();
  });
});
