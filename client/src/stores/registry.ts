/**
 * The registry as the administration pages edit it: enterprise summaries, one-enterprise files
 * (sources without credentials, facilities, grade history) loaded on demand, and every change over
 * REST. After a change the affected file and the list are read again, so counts stay true, and
 * `changes` counts up (the paged source list reads its page again). A refusal (ApiError, with its
 * field) is for the form that made the change.
 */
import type { Enterprise, Facility } from '@domain/registry';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import * as api from '../api/registry';
import type { EnterpriseFile, EnterprisePatch, EnterpriseSummary, LoggerCredentials, SourceFile, SourceInput } from '../api/registry';

type Fetch = typeof fetch;

export const useRegistryStore = defineStore('registry', () => {
  const enterprises = ref<EnterpriseSummary[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  const files = shallowReactive(new Map<string, EnterpriseFile>());
  /** Changes made here so far (lists kept elsewhere watch it to read again). */
  const changes = ref(0);

  /** Every loaded source, in enterprise order. */
  const sources = computed<SourceFile[]>(() => enterprises.value.flatMap((e) => files.get(e.id)?.sources ?? []));
  const nameOf = (id: string): string | undefined => enterprises.value.find((e) => e.id === id)?.name;

  async function loadEnterprises(fetchFn?: Fetch): Promise<void> {
    try {
      enterprises.value = await api.fetchEnterprises(fetchFn);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }

  async function loadFile(id: string, fetchFn?: Fetch): Promise<EnterpriseFile> {
    const file = await api.fetchEnterpriseFile(id, fetchFn);
    files.set(id, file);
    return file;
  }

  async function refresh(enterpriseId: string, fetchFn?: Fetch): Promise<void> {
    changes.value++;
    await Promise.all([loadEnterprises(fetchFn), loadFile(enterpriseId, fetchFn).catch(() => files.delete(enterpriseId))]);
  }

  async function createEnterprise(e: Enterprise, fetchFn?: Fetch): Promise<Enterprise> {
    const created = await api.createEnterprise(e, fetchFn);
    changes.value++;
    await loadEnterprises(fetchFn);
    return created;
  }

  async function updateEnterprise(id: string, patch: EnterprisePatch, fetchFn?: Fetch): Promise<Enterprise> {
    const updated = await api.updateEnterprise(id, patch, fetchFn);
    await refresh(id, fetchFn);
    return updated;
  }

  async function deleteEnterprise(id: string, fetchFn?: Fetch): Promise<void> {
    await api.deleteEnterprise(id, fetchFn);
    files.delete(id);
    changes.value++;
    await loadEnterprises(fetchFn);
  }

  async function createSource(s: SourceInput, fetchFn?: Fetch): Promise<{ source: SourceFile; credentials: LoggerCredentials }> {
    const created = await api.createSource(s, fetchFn);
    await refresh(s.enterpriseId, fetchFn);
    return created;
  }

  /** Sends only what changed from `before` (null clears a field). */
  async function updateSource(before: SourceFile, after: SourceInput, fetchFn?: Fetch): Promise<SourceFile> {
    const updated = await api.updateSource(before.mn, api.patchBetween<SourceInput>(before, after, 'mn'), fetchFn);
    await refresh(updated.enterpriseId, fetchFn);
    return updated;
  }

  const rotateCredentials = (mn: string, fetchFn?: Fetch): Promise<LoggerCredentials> => api.rotateCredentials(mn, fetchFn);

  async function deleteSource(s: Pick<SourceFile, 'mn' | 'enterpriseId'>, fetchFn?: Fetch): Promise<void> {
    await api.deleteSource(s.mn, fetchFn);
    await refresh(s.enterpriseId, fetchFn);
  }

  /** Creates the facility (no `before`), or sends only what changed from `before`. */
  async function saveFacility(f: Facility, before: Facility | null, fetchFn?: Fetch): Promise<Facility> {
    const saved = before
      ? await api.updateFacility(f.id, api.patchBetween(before, f, 'id'), fetchFn)
      : await api.createFacility(f, fetchFn);
    await refresh(f.enterpriseId, fetchFn);
    return saved;
  }

  async function deleteFacility(f: Pick<Facility, 'id' | 'enterpriseId'>, fetchFn?: Fetch): Promise<void> {
    await api.deleteFacility(f.id, fetchFn);
    await refresh(f.enterpriseId, fetchFn);
  }

  return {
    enterprises,
    loaded,
    error,
    files,
    sources,
    nameOf,
    loadEnterprises,
    loadFile,
    changes,
    createEnterprise,
    updateEnterprise,
    deleteEnterprise,
    createSource,
    updateSource,
    rotateCredentials,
    deleteSource,
    saveFacility,
    deleteFacility,
  };
});
