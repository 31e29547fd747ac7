/** User accounts for the administrator: list, create, change role/enterprise, disable/enable, reset password. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/admin';
import type { AdminUser, NewUserRequest, UserPatch } from '../api/admin';

type Fetch = typeof fetch;

export const useUsersStore = defineStore('users', () => {
  const items = ref<AdminUser[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  /** By username, active first. */
  const list = computed(() =>
    [...items.value].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.username.localeCompare(b.username)),
  );
  const byId = computed(() => new Map(items.value.map((u) => [u.id, u])));

  async function load(fetchFn?: Fetch): Promise<void> {
    try {
      items.value = await api.fetchUsers(fetchFn);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }

  function apply(u: AdminUser): AdminUser {
    const i = items.value.findIndex((x) => x.id === u.id);
    items.value = i < 0 ? [...items.value, u] : items.value.map((x) => (x.id === u.id ? u : x));
    return u;
  }

  const create = async (req: NewUserRequest, fetchFn?: Fetch) => apply(await api.createUser(req, fetchFn));
  const update = async (id: number, patch: UserPatch, fetchFn?: Fetch) => apply(await api.updateUser(id, patch, fetchFn));
  const setDisabled = (id: number, disabled: boolean, fetchFn?: Fetch) => update(id, { disabled }, fetchFn);
  const resetPassword = async (id: number, password: string, fetchFn?: Fetch) => apply(await api.resetPassword(id, password, fetchFn));

  return { items, list, byId, loaded, error, load, apply, create, update, setDisabled, resetPassword };
});
