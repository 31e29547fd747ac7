/** The warning colours of the national convention (黄 / 橙 / 红), with a text colour that reads on each. */
import type { WarningLevel } from '@domain/warning';

export const WARNING_COLOURS: Record<WarningLevel, { background: string; color: string }> = {
  yellow: { background: '#ffd400', color: '#3b2f00' },
  orange: { background: '#ff7e00', color: '#ffffff' },
  red: { background: '#e60000', color: '#ffffff' },
};
