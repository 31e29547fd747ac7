import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { loadInitialState, bindRealtime } from './api/realtime';
import { ApiError, fetchAlerts, fetchSources } from './api/rest';
import { createSocket } from './api/socket';
import App from './App.vue';
import { createAppI18n, setLocale } from './locales';
import { useSessionStore } from './stores/session';
import './styles.css';

const i18n = createAppI18n();
setLocale(i18n.global.locale, i18n.global.locale.value);

const app = createApp(App).use(createPinia()).use(i18n);
app.mount('#app');

const session = useSessionStore();
const socket = createSocket();
// The server refuses a socket without a valid session: back to the sign-in form.
socket.on('connect_error', (err) => {
  if (err.message === 'unauthenticated') session.expired();
});

/** Once signed in: the live feed (bindRealtime connects the socket) and the initial REST load. */
function startLive(): void {
  bindRealtime(socket);
  loadInitialState({ fetchSources, fetchActiveAlerts: () => fetchAlerts('active') }).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return session.expired();
    // Not fatal: the socket's snapshot brings the same data once it connects.
    console.warn('[rest] initial load failed; waiting for the live snapshot', err);
  });
}

watch(
  () => session.state,
  (state, before) => {
    if (state === 'signed-in') startLive();
    // Signed out or expired: drop everything this user could see by starting afresh.
    else if (state === 'anonymous' && before === 'signed-in') window.location.reload();
  },
);
void session.check();
