/**
 * One source's limits and rule override as a page holds them: what applies (GET), the draft, and
 * save (PUT) / remove (DELETE) with the server's `invalid_rules` issues placed beside their fields.
 */
import { computed, reactive, ref } from 'vue';
import { deleteSourceOverride, fetchSourceRules, putSourceOverride, rulesIssues } from '../../api/rules-admin';
import { useAdmin } from '../admin/use-admin';
import { useSessionStore } from '../../stores/session';
import { mayWriteRules } from '../../router/access';
import {
  bodyOf,
  draftOf,
  errorsOf,
  issueText,
  type FormErrors,
  type FormIssue,
  type OverrideDraft,
  type SourceRules,
} from './rule-override';

export function useSourceRules(mn: () => string) {
  const admin = useAdmin();
  const { t, te, factorName } = admin;
  const session = useSessionStore();
  const canWrite = computed(() => (session.user ? mayWriteRules(session.user.role) : false));
  const rules = ref<SourceRules | null>(null);
  const draft = reactive<OverrideDraft>(draftOf(null));
  const errors = ref<FormErrors>({});
  const general = ref<FormIssue[]>([]);
  const loadError = ref<unknown>(null);
  const busy = ref(false);
  const words = { t: (k: string, p?: Record<string, unknown>) => (p ? t(k, p) : t(k)), te, factor: factorName };

  function reset(next: SourceRules): void {
    rules.value = next;
    Object.assign(draft, draftOf(next.override));
    errors.value = {};
    general.value = [];
  }

  async function load(): Promise<void> {
    try {
      loadError.value = null;
      reset(await fetchSourceRules(mn()));
    } catch (err) {
      loadError.value = err;
    }
  }

  /** The message beside a field, in words ('' when it is fine). */
  const errorOf = (field: string): string => {
    const e = errors.value[field];
    return e ? t(`rulesAdmin.issue.${e.key}`, e.params ?? {}) : '';
  };
  const generalLines = computed(() => general.value.map((i) => issueText(i, words)));

  async function save(): Promise<void> {
    const { body, errors: local } = bodyOf(draft, rules.value?.override ?? null);
    errors.value = local;
    general.value = [];
    if (Object.keys(local).length > 0) return admin.failed(null, t('rulesAdmin.refused'));
    busy.value = true;
    try {
      await putSourceOverride(mn(), body);
      reset(await fetchSourceRules(mn()));
      admin.done('rulesAdmin.saved');
    } catch (err) {
      const lines = rulesIssues(err);
      if (!lines) return admin.failed(err);
      ({ errors: errors.value, general: general.value } = errorsOf(lines, mn()));
      admin.failed(err, t('rulesAdmin.refused'));
    } finally {
      busy.value = false;
    }
  }

  async function remove(): Promise<void> {
    if (!(await admin.confirm(t('rulesAdmin.removeConfirm')))) return;
    busy.value = true;
    try {
      await deleteSourceOverride(mn());
      reset(await fetchSourceRules(mn()));
      admin.done('rulesAdmin.removed');
    } catch (err) {
      admin.failed(err);
    } finally {
      busy.value = false;
    }
  }

  return { rules, draft, canWrite, errorOf, generalLines, loadError, busy, load, save, remove };
}
