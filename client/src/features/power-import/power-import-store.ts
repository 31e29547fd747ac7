/**
 * The power-data import dialog's state: the chosen file, the dry run's preview, the result and what
 * went wrong. Confirm is offered only for the file that was previewed, and only when the preview
 * has rows to land.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { importPowerFile, type PowerImportResult } from '../../api/power-import';
import { importTypeOf } from '../../api/registry-io';

type Fetch = typeof fetch;

export const usePowerImportStore = defineStore('powerImport', () => {
  const file = shallowRef<File | null>(null);
  const type = ref<string | null>(null);
  const preview = shallowRef<PowerImportResult | null>(null);
  const result = shallowRef<PowerImportResult | null>(null);
  const busy = ref<'preview' | 'apply' | null>(null);
  /** A failure: 'badType' (not XLSX/CSV) or the error the request threw. */
  const error = shallowRef<'badType' | unknown>(null);

  const canApply = computed(() => busy.value === null && preview.value !== null && preview.value.accepted > 0);

  function choose(f: File | null): void {
    file.value = f;
    type.value = f ? importTypeOf(f.name) : null;
    preview.value = null;
    result.value = null;
    error.value = f && !type.value ? 'badType' : null;
  }

  async function run(dryRun: boolean, fetchFn?: Fetch): Promise<PowerImportResult | null> {
    if (!file.value || !type.value) return null;
    busy.value = dryRun ? 'preview' : 'apply';
    error.value = null;
    try {
      return await importPowerFile(file.value, type.value, dryRun, fetchFn);
    } catch (err) {
      error.value = err;
      return null;
    } finally {
      busy.value = null;
    }
  }

  async function runPreview(fetchFn?: Fetch): Promise<void> {
    result.value = null;
    preview.value = await run(true, fetchFn);
  }

  async function apply(fetchFn?: Fetch): Promise<void> {
    if (!canApply.value) return;
    const r = await run(false, fetchFn);
    if (r) {
      result.value = r;
      preview.value = null;
    }
  }

  return { file, type, preview, result, busy, error, canApply, choose, runPreview, apply, reset: () => choose(null) };
});
