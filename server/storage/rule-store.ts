/**
 * Durable rule configuration and state: the rule engine's snapshot (hour windows, counters,
 * consecutive days), the rule pack an administrator set over the API (it wins over the file), and
 * per-source overrides (a permit's limits and rule parameters). Values are stored as validated JSON.
 */
export interface StoredOverride {
  mn: string;
  value: unknown;
  updatedBy: string;
  updatedAt: number;
}

export interface RuleStore {
  loadSnapshot(): unknown;
  saveSnapshot(snapshot: unknown, at: number): void;
  loadPack(): { value: unknown; updatedBy: string; updatedAt: number } | null;
  /** null: back to the file's pack. */
  savePack(value: unknown, by: string, at: number): void;
  loadOverrides(): StoredOverride[];
  /** null value: remove the override. */
  saveOverride(mn: string, value: unknown, by: string, at: number): void;
  close(): void;
}
