/** The socket's connection state, as the header indicator and the banner show it. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('disconnected');
  /** Whether the socket was ever connected during this page's life (connecting vs. lost). */
  const everConnected = ref(false);
  /** Epoch ms of the last state change. */
  const since = ref(Date.now());
  const attempt = ref(0);
  /** Server payloads rejected by the runtime checks. */
  const rejected = ref(0);

  /** Shown data may be out of date whenever the live feed is not connected. */
  const stale = computed(() => state.value !== 'connected');

  function set(next: ConnectionState, now = Date.now()): void {
    if (next === state.value) return;
    state.value = next;
    since.value = now;
    if (next === 'connected') {
      everConnected.value = true;
      attempt.value = 0;
    }
  }

  function reconnecting(n: number, now = Date.now()): void {
    attempt.value = n;
    set('reconnecting', now);
  }

  function reject(): void {
    rejected.value += 1;
  }

  return { state, everConnected, since, attempt, rejected, stale, set, reconnecting, reject };
});
