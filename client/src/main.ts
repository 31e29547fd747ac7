import type { Alert } from '@domain/alert';
import { catalog } from '@domain/catalog';
import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { loadInitialState, bindRealtime, REALTIME_BATCH_MS } from './api/realtime';
import { fetchAlertPage } from './api/alerts';
import { ApiError, fetchSources } from './api/rest';
import { createSocket } from './api/socket';
import { firstScreenCards } from './features/sources/use-grid-columns';
import { openFirstPage } from './features/wall/alert-pages';
import App from './App.vue';
import { createAppI18n, loadMessages, setLocale, storedLocale } from './locales';
import { guardTarget, ROUTE_NAMES } from './router/access';
import { createAppRouter, preloadPage } from './router';
import { useAlarmStore } from './stores/alarm';
import { useAlertsStore } from './stores/alerts';
import { useMaintenanceStore } from './stores/maintenance';
import { useSessionStore } from './stores/session';
import { useSourcePointsStore } from './stores/source-points';
import { useSourcesStore } from './stores/sources';
import { applyTheme, storedTheme } from './stores/theme';
import './styles.css';

// Already set by /theme.js in the page's head (client/public/theme.js), which made the page's first,
// possibly slow, read of localStorage while this script downloaded: this read is quick, and keeps
// the theme right should that file be missing.
applyTheme(storedTheme());
const startLocale = storedLocale();
const i18n = createAppI18n(startLocale);
setLocale(i18n.global.locale, startLocale);
// Chinese is in this script; English (chosen before) is loaded before the page is drawn. Not with a
// top-level await: the English chunk imports from this one, and would wait for it forever.
const messagesReady =
  startLocale === 'en'
    ? loadMessages('en').then(
        (en) => i18n.global.setLocaleMessage('en', en),
        (err: unknown) => console.warn('[i18n] English messages failed to load; showing Chinese', err),
      )
    : Promise.resolve();

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n);
const session = useSessionStore();
const router = createAppRouter(session);
preloadPage(router, window.location.pathname);
app.use(router);
void messagesReady.then(() => app.mount('#app'));

// Each handshake says where the alerts store left off: a server with a Redis replays what was missed.
const socket = createSocket(() => useAlertsStore().resumeSeq);
// The server refuses a socket without a valid session: back to the sign-in form.
socket.on('connect_error', (err) => {
  if (err.message === 'unauthenticated') session.expired();
  // An administrator now requires a password change: start afresh, the router shows the change page.
  if (err.message === 'password_change_required') window.location.assign('/password');
});

/** The notification text of a critical alert, in the current language. */
function describe(a: Alert): { title: string; body: string } {
  const { t, locale } = i18n.global;
  const source = useSourcesStore().lookup(a.mn);
  const factor = catalog.get(a.factor)?.[locale.value === 'en' ? 'en' : 'zh'] ?? a.factor;
  return {
    title: t('alarm.title', { source: source?.name ?? a.mn }),
    body: t('alarm.body', {
      factor,
      value: `${a.value} ${a.unit}`,
      limit: `${a.limit} ${a.unit}`,
      enterprise: source?.enterpriseName ?? a.enterpriseId,
    }),
  };
}

/** Once signed in: the live feed (bindRealtime connects the socket) and the initial REST load. */
function startLive(): void {
  const alarm = useAlarmStore();
  const maintenance = useMaintenanceStore();
  bindRealtime(socket, {
    batchMs: REALTIME_BATCH_MS,
    // Only those who can acknowledge are called by sound and notification.
    announce: (kind, alert) => {
      if (session.isStaff) alarm.announce(kind, alert, describe);
    },
    connected: () => void maintenance.load(),
    fetchSources,
  });
  // The alarm repeats while a critical alert is left unacknowledged (staff only), and says when the browser mutes it.
  alarm.probeWhenIdle();
  watch(
    () => (session.isStaff ? useAlertsStore().unacknowledgedCritical : []),
    (list) => alarm.keepRinging(list),
    { immediate: true },
  );
  loadInitialState({ fetchOpenAlerts: () => fetchAlertPage(openFirstPage()) }).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return session.expired();
    // Not fatal: the socket's snapshot brings the same data once it connects.
    console.warn('[rest] initial load failed; waiting for the live snapshot', err);
  });
}

// The live feed starts once the user may use the dashboard: signed in, and not required to change
// the password first (then it starts right after the change).
let live = false;
watch(
  () => session.active,
  (active) => {
    if (!active || live) return;
    live = true;
    startLive();
  },
);

watch(
  () => session.state,
  (state, before) => {
    // Just signed in on the form (the first session check is the router guard's business): the
    // change page when the password must be changed, a page this role may not open (or the bare
    // root) → its landing page.
    if (state === 'signed-in' && before === 'anonymous') {
      void router.isReady().then(() => {
        const target = guardTarget(session.user, router.currentRoute.value);
        if (target !== true) void router.replace(target);
      });
    }
    // Signed out or expired: drop everything this user could see by starting afresh.
    else if (state === 'anonymous' && before === 'signed-in') window.location.assign('/');
  },
);
void session.check().then(() => {
  // Opened at the sources overview: its points (1.4 MB at a province) are asked for as soon as the
  // session is known, beside the page's script instead of after it (the grid shares this fetch).
  const first = router.resolve(window.location.pathname);
  if (session.active && first.name === ROUTE_NAMES.sources && guardTarget(session.user, first) === true)
    void useSourcePointsStore().load(undefined, firstScreenCards(window.innerWidth, window.innerHeight));
});
