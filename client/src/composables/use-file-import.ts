/**
 * An XLSX/CSV import with a dry run (the registry's and the power data's): the chosen file, the
 * preview, the result and what went wrong. Apply is offered only for the file that was previewed,
 * and only when `applicable(preview)` says the preview has something to land.
 */
import { computed, ref, shallowRef } from 'vue';
import { importTypeOf } from '../api/registry-io';

type Fetch = typeof fetch;
export type ImportSend<R> = (file: File, type: string, dryRun: boolean, fetchFn?: Fetch) => Promise<R>;

export function useFileImport<R>(send: ImportSend<R>, applicable: (preview: R) => boolean) {
  const file = shallowRef<File | null>(null);
  const type = ref<string | null>(null);
  const preview = shallowRef<R | null>(null);
  const result = shallowRef<R | null>(null);
  const busy = ref<'preview' | 'apply' | null>(null);
  /** A failure: 'badType' (not XLSX/CSV) or the error the request threw. */
  const error = shallowRef<'badType' | unknown>(null);

  const canApply = computed(() => busy.value === null && preview.value !== null && applicable(preview.value));

  function choose(f: File | null): void {
    file.value = f;
    type.value = f ? importTypeOf(f.name) : null;
    preview.value = null;
    result.value = null;
    error.value = f && !type.value ? 'badType' : null;
  }

  async function run(dryRun: boolean, fetchFn?: Fetch): Promise<R | null> {
    if (!file.value || !type.value) return null;
    busy.value = dryRun ? 'preview' : 'apply';
    error.value = null;
    try {
      return await send(file.value, type.value, dryRun, fetchFn);
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

  /** Forgets the file and what came of it (the registry's issued credentials too, once taken). */
  const reset = (): void => choose(null);

  return { file, type, preview, result, busy, error, canApply, choose, runPreview, apply, reset };
}
