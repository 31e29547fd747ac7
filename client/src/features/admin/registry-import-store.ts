/**
 * The registry import panel's state: the chosen file, the dry run's preview, the applied result
 * (with the new loggers' credentials, shown once and never fetched again) and what went wrong.
 * Apply is offered only for the file that was previewed, and only when the preview would change
 * something and is not blocked.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { importRegistryFile, importTypeOf, type ImportResult, type IssuedCredentials } from '../../api/registry-io';

type Fetch = typeof fetch;

/** How many records a result adds or changes. */
export const changesOf = (r: ImportResult): number =>
  [r.summary.enterprises, r.summary.sources, r.summary.facilities].reduce((n, t) => n + t.added + t.changed, 0);

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The issued credentials as a CSV download (UTF-8 with BOM so Excel reads the Chinese). */
export function credentialsCsv(list: readonly IssuedCredentials[], header: readonly string[]): string {
  const rows = list.map((c) => [c.mn, c.enterpriseId, c.name, c.pw, c.mqttPassword].map(csvCell).join(','));
  return `\uFEFF${[header.map(csvCell).join(','), ...rows].join('\r\n')}\r\n`;
}

export const useRegistryImportStore = defineStore('registryImport', () => {
  const file = shallowRef<File | null>(null);
  const type = ref<string | null>(null);
  const preview = shallowRef<ImportResult | null>(null);
  const result = shallowRef<ImportResult | null>(null);
  const busy = ref<'preview' | 'apply' | null>(null);
  /** A failure: 'badType' (not XLSX/CSV) or the error the request threw. */
  const error = shallowRef<'badType' | unknown>(null);

  const canApply = computed(() => busy.value === null && preview.value !== null && !preview.value.blocked && changesOf(preview.value) > 0);

  function choose(f: File | null): void {
    file.value = f;
    type.value = f ? importTypeOf(f.name) : null;
    preview.value = null;
    result.value = null;
    error.value = f && !type.value ? 'badType' : null;
  }

  async function run(dryRun: boolean, fetchFn?: Fetch): Promise<ImportResult | null> {
    if (!file.value || !type.value) return null;
    busy.value = dryRun ? 'preview' : 'apply';
    error.value = null;
    try {
      return await importRegistryFile(file.value, type.value, dryRun, fetchFn);
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

  /** Forget the credentials (and the rest) once the user has taken them. */
  function reset(): void {
    choose(null);
  }

  return { file, type, preview, result, busy, error, canApply, choose, runPreview, apply, reset };
});
