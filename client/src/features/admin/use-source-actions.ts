/**
 * Source actions shared by the source list and the enterprise file: create/edit in the form, rotate
 * the logger's credentials and delete, each confirmed; credentials to show once.
 */
import { ref } from 'vue';
import type { LoggerCredentials, SourceFile } from '../../api/registry';
import { useRegistryStore } from '../../stores/registry';
import { useAdmin } from './use-admin';

export function useSourceActions() {
  const { t, confirm, failed, done } = useAdmin();
  const registry = useRegistryStore();
  const formOpen = ref(false);
  const editing = ref<SourceFile | null>(null);
  const credentials = ref<{ mn: string; credentials: LoggerCredentials } | null>(null);

  function edit(s: SourceFile | null): void {
    editing.value = s;
    formOpen.value = true;
  }

  async function rotate(s: SourceFile): Promise<void> {
    if (!(await confirm(t('admin.sources.rotateConfirm', { name: s.name })))) return;
    try {
      credentials.value = { mn: s.mn, credentials: await registry.rotateCredentials(s.mn) };
    } catch (err) {
      failed(err);
    }
  }

  async function remove(s: SourceFile): Promise<void> {
    if (!(await confirm(t('admin.sources.deleteConfirm', { name: s.name })))) return;
    try {
      await registry.deleteSource(s);
      done('admin.deleted');
    } catch (err) {
      failed(err);
    }
  }

  return { formOpen, editing, credentials, edit, rotate, remove };
}
