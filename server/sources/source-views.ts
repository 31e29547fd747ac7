/** Every source as the dashboard lists it: registry facts, latest values and status. */
import type { AlertService } from '../alerts/alert-service';
import type { SourceView } from '../domain/events';
import type { SourceDirectory } from './source-directory';

export function sourceViews(directory: SourceDirectory, alerts: AlertService, now: number, offlineAfterIntervals: number): SourceView[] {
  const exceeding = new Set(alerts.active().map((a) => a.mn));
  return directory.all().flatMap((s) => {
    const view = directory.view(s.mn, directory.status(s.mn, now, offlineAfterIntervals, exceeding.has(s.mn)));
    return view ? [view] : [];
  });
}
