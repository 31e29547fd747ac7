/**
 * Runs an alert action over REST, shows the answer at once (the socket's update follows) and says
 * what happened in a toast, in the user's language (the server's error code, never its English
 * text). Returns whether it worked, so a dialog can stay open (with what was typed) when it did not.
 */
import type { Alert } from '@domain/alert';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { acknowledgeMany, type AlertAction, runAlertAction } from '../api/alerts';
import { errorMessage } from '../api/rest';
import { useAlertsStore } from '../stores/alerts';

export function useAlertActions() {
  const { t, te } = useI18n();
  const alerts = useAlertsStore();
  /** `${alertId}:${kind}` of the actions under way (their buttons show a spinner). */
  const busy = ref(new Set<string>());
  const error = ref<string | null>(null);

  const mark = (keys: readonly string[], on: boolean) => {
    const next = new Set(busy.value);
    for (const k of keys) {
      if (on) next.add(k);
      else next.delete(k);
    }
    busy.value = next;
  };

  function fail(err: unknown): false {
    const message = errorMessage(err, t, te);
    error.value = message;
    ElMessage({ type: 'error', message: t('action.failed', { message }), duration: 5_000 });
    return false;
  }

  async function run(alert: Pick<Alert, 'id'>, action: AlertAction): Promise<boolean> {
    const key = `${alert.id}:${action.kind}`;
    mark([key], true);
    error.value = null;
    try {
      alerts.upsert(await runAlertAction(alert.id, action));
      ElMessage({ type: 'success', message: t(`action.done.${action.kind}`), duration: 2_000 });
      return true;
    } catch (err) {
      return fail(err);
    } finally {
      mark([key], false);
    }
  }

  /** Acknowledges several alerts with one note (POST /api/alerts/acknowledge); true when all went through. */
  async function acknowledgeAll(ids: readonly number[], note?: string): Promise<boolean> {
    if (ids.length === 0) return true;
    const keys = ids.map((id) => `${id}:acknowledge`);
    mark(keys, true);
    error.value = null;
    try {
      const results = await acknowledgeMany(ids, note);
      for (const r of results) if (r.ok) alerts.upsert(r.alert);
      const ok = results.filter((r) => r.ok).length;
      const failed = results.length - ok;
      if (failed === 0) ElMessage({ type: 'success', message: t('duty.bulkDone', { n: ok }), duration: 2_000 });
      else ElMessage({ type: 'warning', message: t('duty.bulkPartial', { ok, failed }), duration: 5_000 });
      return failed === 0;
    } catch (err) {
      return fail(err);
    } finally {
      mark(keys, false);
    }
  }

  const isBusy = (id: number, kind: string): boolean => busy.value.has(`${id}:${kind}`);

  return { run, acknowledgeAll, isBusy, error };
}
