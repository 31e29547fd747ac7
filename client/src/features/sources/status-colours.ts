/** Status colours for canvas drawing (ECharts cannot read CSS variables); the same hues as styles.css. */
import type { OverviewStatus } from '../../stores/source-status';

export const STATUS_COLOURS: Record<OverviewStatus, string> = {
  normal: '#1f8a4c',
  exceeding: '#c81e1e',
  offline: '#6b7280',
  maintenance: '#2b7bb9',
  fault: '#b5651d',
  nodata: '#8a6bbf',
};
