import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { loadInitialState, bindRealtime } from './api/realtime';
import { fetchAlerts, fetchSources } from './api/rest';
import { createSocket } from './api/socket';
import App from './App.vue';
import { createAppI18n, setLocale } from './locales';
import './styles.css';

const i18n = createAppI18n();
setLocale(i18n.global.locale, i18n.global.locale.value);

const app = createApp(App).use(createPinia()).use(i18n);
app.mount('#app');

bindRealtime(createSocket());
loadInitialState({ fetchSources, fetchActiveAlerts: () => fetchAlerts('active') }).catch((err: unknown) => {
  // Not fatal: the socket's snapshot brings the same data once it connects.
  console.warn('[rest] initial load failed; waiting for the live snapshot', err);
});
