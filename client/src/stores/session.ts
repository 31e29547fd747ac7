/** Who is signed in. The dashboard starts its live feed only once this store has a user. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { fetchMe, login as apiLogin, logout as apiLogout, type SessionUser } from '../api/auth';

export type SessionState = 'checking' | 'anonymous' | 'signed-in';

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  const state = ref<SessionState>('checking');
  const isEnterprise = computed(() => user.value?.role === 'enterprise');
  /** May acknowledge, assign, resolve and silence alerts (the server checks again). */
  const isStaff = computed(() => user.value?.role === 'officer' || user.value?.role === 'admin');
  let settle: () => void = () => undefined;
  /** Resolves once the first session check is done (the router waits for it). */
  const ready = new Promise<void>((resolve) => (settle = resolve));

  async function check(): Promise<void> {
    user.value = await fetchMe().catch(() => null);
    state.value = user.value ? 'signed-in' : 'anonymous';
    settle();
  }

  async function login(username: string, password: string): Promise<void> {
    user.value = await apiLogin(username, password);
    state.value = 'signed-in';
  }

  async function logout(): Promise<void> {
    await apiLogout().catch(() => undefined);
    user.value = null;
    state.value = 'anonymous';
  }

  /** The server said 401 (session expired or revoked): back to the sign-in form. */
  function expired(): void {
    user.value = null;
    state.value = 'anonymous';
  }

  return { user, state, isEnterprise, isStaff, ready, check, login, logout, expired };
});
