/**
 * The grids of the working-condition strip: one per lane group and unit (production kW; treatment
 * kW, A, °C, kg/h, %; emissions mg/m³…), in the server's lane order, each with the threshold values
 * its y-axis must reach so that the threshold lines stay in view.
 */
import type { StripGroup } from '@domain/facility-roles';
import type { StripLane } from '@domain/working-condition-strip';

export interface StripPanel {
  group: StripGroup;
  unit: string;
  lanes: StripLane[];
  /** Threshold values drawn in this grid. */
  reach: number[];
}

export function stripPanels(lanes: readonly StripLane[], unitOf: (code: string) => string): StripPanel[] {
  const panels = new Map<string, StripPanel>();
  for (const lane of lanes) {
    const unit = unitOf(lane.code);
    const key = `${lane.group}/${unit}`;
    const panel = panels.get(key) ?? { group: lane.group, unit, lanes: [], reach: [] };
    panel.lanes.push(lane);
    if (lane.threshold) panel.reach.push(lane.threshold.value);
    panels.set(key, panel);
  }
  return [...panels.values()];
}
