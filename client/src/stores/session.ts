/**
 * Who is signed in. The dashboard starts its live feed only once this store has a user who need not
 * change their password first (`mustChangePassword`: the router keeps them on the change page).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { changePassword as apiChangePassword, fetchMe, login as apiLogin, logout as apiLogout, type SessionUser } from '../api/auth';

export type SessionState = 'checking' | 'anonymous' | 'signed-in';

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  const state = ref<SessionState>('checking');
  const isEnterprise = computed(() => user.value?.role === 'enterprise');
  /** May acknowledge, assign, resolve and silence alerts (the server checks again). */
  const isStaff = computed(() => user.value?.role === 'officer' || user.value?.role === 'admin');
  /** Signed in with a password someone else set: nothing but the change-password page until it is replaced. */
  const mustChangePassword = computed(() => user.value?.mustChangePassword === true);
  /** Signed in and free to use the dashboard (live feed, every page the role may open). */
  const active = computed(() => state.value === 'signed-in' && !mustChangePassword.value);
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

  /** Replaces the password; the server answers with the user, no longer required to change it. */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    user.value = await apiChangePassword(currentPassword, newPassword);
  }

  /** The server said 401 (session expired or revoked): back to the sign-in form. */
  function expired(): void {
    user.value = null;
    state.value = 'anonymous';
  }

  return { user, state, isEnterprise, isStaff, mustChangePassword, active, ready, check, login, logout, changePassword, expired };
});
