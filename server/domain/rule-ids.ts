/**
 * The rule ids findings and alerts carry (`Finding.rule`, `Alert.rule`), declared once for the
 * server's evaluators, the rule pack and the dashboard. Pure constants (no zod), so the dashboard
 * can import them without pulling in the schemas.
 */
export const RULE_IDS = {
  limitInstant: 'limit-instant',
  limitHour: 'limit-hour',
  limitDay: 'limit-day',
  instrumentFault: 'instrument-fault',
  maintenanceFlag: 'maintenance-flag',
  offline: 'offline',
  flatLine: 'flat-line',
  removalEfficiency: 'removal-efficiency',
  alRatio: 'al-ratio',
  tankPressure: 'tank-pressure',
  bypass: 'bypass',
  flareTemperature: 'flare-temperature',
  overRange: 'over-range',
  // Falsification signatures (issue 19): suspected, for an officer to judge.
  zsMismatch: 'zs-mismatch',
  o2Ambient: 'o2-ambient',
  nearLimit: 'near-limit',
  copiedData: 'copied-data',
  stepDrop: 'step-drop',
  /** A source due to send raw HJ 212 that only sends JSON over MQTT (a converter: middleware, PLANS A6). */
  noRawHj212: 'no-raw-hj212',
  /** Several MNs on one TCP connection, or a logger's TCP address changing: suspected relay (PLANS A6). */
  relay: 'relay',
  // Ambient air (issue 17), judged as each hour closes from the stations' hour means.
  /** 爆表: an hourly index above the top of its HJ 633 table (IAQI > 500). */
  aqiOffScale: 'aqi-off-scale',
  /** A station above the city mean of the same hour by a margin for N hours, with the sources nearby. */
  hotspot: 'hotspot',
  /** The 8-h moving O3 mean above 160 µg/m³. */
  ozone8h: 'ozone-8h',
  // Working condition and power (issue 16): judged from facilities' signals (working-condition.ts).
  /** A treatment facility not running (power or current below its running threshold) while its production line runs. */
  treatmentOff: 'treatment-off',
  /** 先启后停: treatment started less than N min before production, or stopped less than N min after it. */
  startOrder: 'start-order',
  /** Reductant flow ≈ 0 while the outlet's converted NOx is above its limit and the unit runs. */
  reductantStopped: 'reductant-stopped',
  /** RTO / catalytic combustion temperature below the facility's minimum while its fan runs. */
  combustionTempLow: 'combustion-temp-low',
  /** Gas to a flare with no assist gas, or its combustion temperature below 760 °C. */
  flareUpset: 'flare-upset',
  /** Flue-gas recirculation valve closed while the boiler fires. */
  fgrClosed: 'fgr-closed',
  /** A bypass valve open or its seal broken. */
  bypassOpen: 'bypass-open',
  /** Production power above its idle threshold during a declared stop (maintenance or an emergency measure). */
  declaredStopRunning: 'declared-stop-running',
  /** Adsorbent replacement overdue: the facility's interval passed since the last logged replacement. */
  adsorbentOverdue: 'adsorbent-overdue',
  /** A start or stop in the ozone season not in the enterprise's filed plan. */
  unplannedStartStop: 'unplanned-start-stop',
  /** Construction dust: the 15-min or hourly PM10 / TSP mean at the boundary above its threshold. */
  dustMean: 'dust-mean',
  // Heavy-pollution responses (issue 18), judged as hours close from the measures' data.
  /** A required emergency measure not carried out N closed hours in a row (power, flow, flag F, a limit, emission vs baseline). */
  measureNoncompliance: 'measure-noncompliance',
} as const;
export type RuleId = (typeof RULE_IDS)[keyof typeof RULE_IDS];

/**
 * Rules that raise on a data flag or a device state rather than against a limit: their `limit` is
 * meaningless (0) and never shown, and they never make a value an exceedance.
 */
export const FLAG_RULES: readonly string[] = [RULE_IDS.instrumentFault, RULE_IDS.maintenanceFlag];

/**
 * The working-condition rules of issue 16: about facilities' states, judged from their signals and
 * records. The value they carry is a signal (power, temperature, a valve state), not an emission.
 */
export const FACILITY_RULES: readonly string[] = [
  RULE_IDS.treatmentOff,
  RULE_IDS.startOrder,
  RULE_IDS.reductantStopped,
  RULE_IDS.combustionTempLow,
  RULE_IDS.flareUpset,
  RULE_IDS.fgrClosed,
  RULE_IDS.bypassOpen,
  RULE_IDS.declaredStopRunning,
  RULE_IDS.adsorbentOverdue,
  RULE_IDS.unplannedStartStop,
];

/**
 * The falsification signatures of issue 19: "suspected" findings about how the data behave, not
 * about a value's size — a value they name is not an exceedance (a source card does not show it red).
 */
export const SUSPECT_RULES: readonly string[] = [
  RULE_IDS.zsMismatch,
  RULE_IDS.o2Ambient,
  RULE_IDS.nearLimit,
  RULE_IDS.copiedData,
  RULE_IDS.stepDrop,
  RULE_IDS.noRawHj212,
  RULE_IDS.relay,
];
