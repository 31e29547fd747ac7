/**
 * Routes per role. Views load lazily (ECharts and the Element Plus parts they use come with them).
 * The guard waits for the session check, sends a signed-in user who must change their password to
 * the change page (then on to where they were going), and one who opens a route not meant for their
 * role to their landing page; while nobody is signed in App.vue shows the sign-in form.
 */
import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from 'vue-router';
import type { useSessionStore } from '../stores/session';
import { guardTarget, ROUTE_NAMES } from './access';

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: { render: () => null } },
  { path: '/wall', name: ROUTE_NAMES.wall, component: () => import('../features/wall/AlertWallView.vue') },
  { path: '/sources', name: ROUTE_NAMES.sources, component: () => import('../features/sources/SourcesOverviewView.vue') },
  {
    path: '/sources/:mn',
    name: ROUTE_NAMES.source,
    component: () => import('../features/source-detail/SourceDetailView.vue'),
    props: true,
  },
  { path: '/enterprise', name: ROUTE_NAMES.enterprise, component: () => import('../features/enterprise/EnterpriseView.vue') },
  { path: '/ozone', name: ROUTE_NAMES.ozone, component: () => import('../features/ozone/OzoneView.vue') },
  { path: '/reports', name: ROUTE_NAMES.reports, component: () => import('../features/reports/ReportsView.vue') },
  { path: '/quality', name: ROUTE_NAMES.quality, component: () => import('../features/quality/QualityView.vue') },
  {
    path: '/admin/registry-import',
    name: ROUTE_NAMES.registryImport,
    component: () => import('../features/admin/RegistryImportView.vue'),
  },
  {
    path: '/maintenance',
    name: ROUTE_NAMES.maintenance,
    component: () => import('../features/maintenance-review/MaintenanceReviewView.vue'),
  },
  { path: '/admin/enterprises', name: ROUTE_NAMES.registry, component: () => import('../features/admin/EnterprisesView.vue') },
  { path: '/admin/sources', name: ROUTE_NAMES.registrySources, component: () => import('../features/admin/RegistrySourcesView.vue') },
  { path: '/admin/users', name: ROUTE_NAMES.users, component: () => import('../features/admin/UsersView.vue') },
  { path: '/admin/audit', name: ROUTE_NAMES.audit, component: () => import('../features/admin/AuditView.vue') },
  {
    path: '/admin/sources/:mn/rules',
    name: ROUTE_NAMES.sourceRules,
    component: () => import('../features/rules-admin/SourceRulesView.vue'),
    props: true,
  },
  { path: '/admin/silences', name: ROUTE_NAMES.silences, component: () => import('../features/rules-admin/SilencesView.vue') },
  {
    path: '/admin/notify-targets',
    name: ROUTE_NAMES.notifyTargets,
    component: () => import('../features/admin/NotifyTargetsView.vue'),
  },
  { path: '/admin/duty', name: ROUTE_NAMES.duty, component: () => import('../features/duty/DutyView.vue') },
  { path: '/notify-settings', name: ROUTE_NAMES.notifySettings, component: () => import('../features/duty/NotifySettingsView.vue') },
  { path: '/ledger', name: ROUTE_NAMES.facilityLedger, component: () => import('../features/facility-records/FacilityLedgerView.vue') },
  { path: '/start-stop', name: ROUTE_NAMES.startStop, component: () => import('../features/facility-records/StartStopView.vue') },
  { path: '/reductions', name: ROUTE_NAMES.reductions, component: () => import('../features/reduction-lists/ReductionListsView.vue') },
  {
    path: '/my-reductions',
    name: ROUTE_NAMES.myReductions,
    component: () => import('../features/reduction-lists/MyReductionListView.vue'),
  },
  {
    path: '/responses/:id/effect',
    name: ROUTE_NAMES.responseEffect,
    component: () => import('../features/responses/ResponseEffectView.vue'),
    props: true,
  },
  { path: '/cases', name: ROUTE_NAMES.cases, component: () => import('../features/cases/CasesView.vue') },
  { path: '/tasks', name: ROUTE_NAMES.caseTasks, component: () => import('../features/cases/CaseTasksView.vue') },
  { path: '/admin/tokens', name: ROUTE_NAMES.apiTokens, component: () => import('../features/api-tokens/ApiTokensView.vue') },
  // Without an id: the signed-in enterprise user's own file.
  {
    path: '/file/:id?',
    name: ROUTE_NAMES.enterpriseFile,
    component: () => import('../features/admin/EnterpriseFileView.vue'),
    props: true,
  },
  { path: '/password', name: ROUTE_NAMES.password, component: () => import('../features/auth/PasswordChangeView.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export function createAppRouter(session: ReturnType<typeof useSessionStore>): Router {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    if (session.state === 'checking') await session.ready;
    // Nobody signed in: App.vue shows the sign-in form; the URL is kept for after sign-in.
    return guardTarget(session.user, to);
  });
  return router;
}

/**
 * Starts loading the chunk of the page at `path` now: the router asks for it only after its guard
 * has the session (`/api/auth/me`), so the page's own script would wait for that round trip. Every
 * lazy page is `() => import(…)`; an already loaded one is taken from the module cache.
 */
export function preloadPage(router: Router, path: string): void {
  for (const record of router.resolve(path).matched) {
    const page = record.components?.['default'];
    if (typeof page === 'function') void (page as () => Promise<unknown>)().catch(() => undefined);
  }
}
