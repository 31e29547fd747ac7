/**
 * What every administration page needs: labels in the current language (grades, kinds, enums,
 * fields), a refusal put in words (the server's code, never its English text), toasts, and a
 * confirmation before a destructive change.
 */
import { GRADE_NAMES, type Grade } from '@domain/registry';
import type { SourceKind } from '@domain/source-kinds';
import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, errorMessage } from '../../api/rest';
import { useFormat } from '../../composables/use-format';
import { useRegistryStore } from '../../stores/registry';
import { useSessionStore } from '../../stores/session';
import { mayWriteRegistry } from '../../router/access';
import type { Words } from './audit-detail';

export function useAdmin() {
  const i18n = useI18n();
  const { t, te, d, locale } = i18n;
  const format = useFormat();
  const session = useSessionStore();
  const registry = useRegistryStore();
  const lang = computed(() => (locale.value === 'en' ? 'en' : 'zh'));
  const canWrite = computed(() => (session.user ? mayWriteRegistry(session.user.role) : false));

  const gradeName = (g: string | undefined): string => GRADE_NAMES[(g ?? 'ungraded') as Grade]?.[lang.value] ?? t('common.none');
  const fieldLabel = (f: string): string => t(`admin.field.${f}`);
  const longTime = (ts: number): string => d(ts, 'long');
  const errorText = (err: unknown): string => errorMessage(err, t, te);
  /** A grade change's grounds; the server's own (`registry.enterprise_created`) in words. */
  const reasonText = (reason: string): string => (te(`admin.audit.actions.${reason}`) ? t(`admin.audit.actions.${reason}`) : reason);

  /** Says why a change failed; `explained`: the page's own words for it (a 409 on delete). */
  function failed(err: unknown, explained?: string): void {
    const message = t('admin.failed', { message: explained ?? errorText(err) });
    ElMessage({ type: 'error', message, duration: 6_000, customClass: 'admin-failed' });
  }
  const done = (key: string): void => void ElMessage({ type: 'success', message: t(key), duration: 2_000 });

  /** Asks before a destructive change; resolves true when confirmed. */
  async function confirm(message: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('admin.confirmTitle'), {
        confirmButtonText: t('admin.confirm'),
        cancelButtonText: t('common.cancel'),
        type: 'warning',
        customClass: 'admin-confirm',
      });
      return true;
    } catch {
      return false; // cancelled or closed: nothing to do
    }
  }

  const label = (key: string): string | null => (te(key) ? t(key) : null);
  const words = computed<Words>(() => ({
    none: t('common.none'),
    yes: t('admin.yes'),
    no: t('admin.no'),
    hidden: t('admin.audit.hidden'),
    label,
    factor: format.factorName,
    unit: format.factorUnit,
    kind: (k) => format.kindName(k as SourceKind),
    grade: gradeName,
    enterprise: (id) => registry.nameOf(id) ?? id,
    limit: (l, unit) => limitText(l, unit),
  }));

  /** "≤ 50 mg/m³", "≥ 850 °C", "0.8 – 1.2". */
  function limitText(l: { max?: number; min?: number }, unit: string): string {
    const u = unit ? ` ${unit}` : '';
    if (l.max !== undefined && l.min !== undefined) return `${l.min} – ${l.max}${u}`;
    if (l.max !== undefined) return `≤ ${l.max}${u}`;
    if (l.min !== undefined) return `≥ ${l.min}${u}`;
    return t('common.none');
  }

  /** A refusal's status, for views that explain one status specially (409 on delete). */
  const statusOf = (err: unknown): number | null => (err instanceof ApiError ? err.status : null);

  return {
    ...format,
    t,
    te,
    lang,
    canWrite,
    gradeName,
    fieldLabel,
    longTime,
    errorText,
    reasonText,
    failed,
    done,
    confirm,
    words,
    limitText,
    statusOf,
  };
}
