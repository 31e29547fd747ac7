/**
 * Runs an alert action over REST, shows the answer at once (the socket's update follows) and says
 * what happened in a toast. Returns whether it worked, so a dialog can stay open (with what was
 * typed) when it did not.
 */
import type { Alert } from '@domain/alert';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { type AlertAction, runAlertAction } from '../api/alerts';
import { ApiError } from '../api/rest';
import { useAlertsStore } from '../stores/alerts';

export function useAlertActions() {
  const { t } = useI18n();
  const alerts = useAlertsStore();
  /** `${alertId}:${kind}` of the actions under way (their buttons show a spinner). */
  const busy = ref(new Set<string>());
  const error = ref<string | null>(null);

  async function run(alert: Pick<Alert, 'id'>, action: AlertAction): Promise<boolean> {
    const key = `${alert.id}:${action.kind}`;
    busy.value = new Set(busy.value).add(key);
    error.value = null;
    try {
      alerts.upsert(await runAlertAction(alert.id, action));
      ElMessage({ type: 'success', message: t(`action.done.${action.kind}`), duration: 2_000 });
      return true;
    } catch (err) {
      const message = err instanceof ApiError && err.status === 409 ? t('action.closedAlready') : err instanceof Error ? err.message : String(err);
      error.value = message;
      ElMessage({ type: 'error', message: t('action.failed', { message }), duration: 5_000 });
      return false;
    } finally {
      const next = new Set(busy.value);
      next.delete(key);
      busy.value = next;
    }
  }

  const isBusy = (id: number, kind: string): boolean => busy.value.has(`${id}:${kind}`);

  return { run, isBusy, error };
}
