/**
 * An alert's facts in words: the rule's name, each evidence field with its label and unit, and the
 * server's history details (codes with parameters, HistoryDetail). Pure: the caller passes the
 * formatters of the current language, so the tables below are tested without a DOM.
 */
import type { Alert, AlertHistoryEntry, Evidence, EvidenceScalar, HistoryDetail } from '@domain/alert';
import { compassPoint } from '@domain/geo';

/** What the formatting needs from vue-i18n and use-format. */
export interface Words {
  t: (key: string, params?: Record<string, unknown>) => string;
  /** Does the current locale have this message? */
  te: (key: string) => boolean;
  dateTime: (ts: number) => string;
  date: (ts: number) => string;
  withUnit: (value: number, unit: string) => string;
  sourceName: (mn: string) => string;
}

/** How one evidence field is shown: a time, a count with its unit, a boolean, a value in the alert's unit… */
type FieldKind =
  | 'time'
  | 'date'
  | 'seconds'
  | 'count'
  | 'bool'
  | 'alertUnit'
  | 'ratio'
  | 'kgH'
  | 'source'
  | 'flag'
  | 'percent'
  | 'flow'
  | 'rule'
  | 'degrees'
  | 'km'
  /** A name, shown as it is (a facility's). */
  | 'text'
  /** A fixed unit of its own (FIXED_UNITS). */
  | 'kw'
  | 'amp'
  | 'celsius'
  | 'mgM3'
  | 'm3h'
  /** An internal id carried for machines (a facility's or a window's): never shown. */
  | 'hidden'
  | 'relayPattern';

/** Every evidence key the rules emit (server/rules/**), with how it is shown; the label is `evidence.<key>`. */
export const EVIDENCE_FIELDS: Readonly<Record<string, FieldKind>> = {
  flag: 'flag',
  since: 'time',
  durationS: 'seconds',
  samples: 'count',
  o2Converted: 'bool',
  windowStart: 'time',
  windowEnd: 'time',
  validMinutes: 'count',
  validHours: 'count',
  fromLogger: 'bool',
  value: 'alertUnit',
  spread: 'alertUnit',
  lastSeenAt: 'time',
  countedFrom: 'time',
  criticalAfterS: 'seconds',
  consecutiveDays: 'count',
  day: 'date',
  rangeMin: 'ratio',
  rangeMax: 'ratio',
  inletMn: 'source',
  inletKgH: 'kgH',
  outletKgH: 'kgH',
  // Falsification signatures (zs-mismatch, o2-ambient, near-limit); measured / o2 / o2Ref also limit-instant's.
  reportedZs: 'alertUnit',
  measured: 'alertUnit',
  o2: 'percent',
  o2Ref: 'percent',
  recomputed: 'alertUnit',
  tolerancePct: 'percent',
  flow: 'flow',
  flowMin: 'flow',
  bandLow: 'alertUnit',
  bandHigh: 'alertUnit',
  copiedFromStart: 'time',
  copiedFromEnd: 'time',
  alertAt: 'time',
  alertRule: 'rule',
  meanBefore: 'alertUnit',
  meanAfter: 'alertUnit',
  dropPct: 'percent',
  thresholdPct: 'percent',
  windowS: 'seconds',
  // Transport signatures (no-raw-hj212, relay); lastSeenAt / countedFrom / windowS above.
  lastReadingAt: 'time',
  lastRawFrameAt: 'time',
  periodS: 'seconds',
  pattern: 'relayPattern',
  peer: 'text',
  sourcesOnConnection: 'count',
  sharedWith: 'source',
  previousAddress: 'text',
  currentAddress: 'text',
  changedAt: 'time',
  addresses: 'count',
  // Ambient air (hotspot, aqi-off-scale, ozone-8h; windowStart / windowEnd / validHours above).
  consecutiveHours: 'count',
  cityMean: 'alertUnit',
  abovePct: 'percent',
  windFrom: 'degrees',
  radiusKm: 'km',
  // Facility records (issue 16: declared-stop-running, adsorbent-overdue, unplanned-start-stop); since / durationS
  // above, facility / facilityId / runningKw with the working-condition fields below.
  windowId: 'hidden',
  windowFrom: 'time',
  windowTo: 'time',
  lastReplacement: 'date',
  watchedSince: 'date',
  adsorbentDays: 'count',
  graceDays: 'count',
  due: 'date',
  startedAt: 'time',
  stoppedAt: 'time',
  planFiled: 'bool',
  toleranceDays: 'count',
  // Working condition (issue 16): the facility and the line it serves, by name (their ids are not shown).
  facilityId: 'hidden',
  facility: 'text',
  lineId: 'hidden',
  line: 'text',
  lineRunning: 'bool',
  lineSince: 'time',
  linePowerKw: 'kw',
  lineCurrentA: 'amp',
  running: 'bool',
  powerKw: 'kw',
  runningKw: 'kw',
  currentA: 'amp',
  runningA: 'amp',
  stoppedSince: 'time',
  tempC: 'celsius',
  minTempC: 'celsius',
  valvePct: 'percent',
  closedMaxPct: 'percent',
  reductantFlow: 'kgH',
  flowMax: 'kgH',
  outletMn: 'source',
  nox: 'mgM3',
  noxLimit: 'mgM3',
  gasFlow: 'm3h',
  assistFlow: 'm3h',
  pilotLit: 'bool',
  noAssist: 'bool',
  tempLow: 'bool',
  pilotOut: 'bool',
  valveOpen: 'bool',
  sealBroken: 'bool',
  lineStartedAt: 'time',
  treatmentRunning: 'bool',
  treatmentSince: 'time',
  leadS: 'seconds',
  startLeadS: 'seconds',
  treatmentStoppedAt: 'time',
  lagS: 'seconds',
  stopLagS: 'seconds',
  // Power meters serving a facility (their power stands for its own), and a power-data import judged per interval.
  meterId: 'hidden',
  meter: 'text',
  meterNo: 'text',
  lineMeterId: 'hidden',
  lineMeter: 'text',
  lineMeterNo: 'text',
  imported: 'bool',
  importId: 'hidden',
  intervalMinutes: 'count',
  // Construction dust (dust-mean; windowStart / windowEnd / validMinutes above).
  windowMinutes: 'count',
  // Emergency measures (measure-noncompliance; its checks are a table: evidence-tables.ts).
  responseId: 'hidden',
  entry: 'text',
  measure: 'text',
  level: 'text',
  limitToPct: 'percent',
  firstHour: 'time',
  lastHour: 'time',
  failedHours: 'count',
  peakShift: 'text',
  peakShiftNote: 'text',
  // Daytime unloading during special control (measure-noncompliance on a station's apr01).
  suspected: 'text',
  campaign: 'text',
  unloadingFrom: 'time',
  unloadingTo: 'time',
  ongoing: 'bool',
  peakPa: 'alertUnit',
  thresholdPa: 'alertUnit',
  minMinutes: 'count',
  nightWindow: 'text',
  mean: 'alertUnit',
  threshold: 'alertUnit',
};

const FIXED_UNITS: Partial<Record<FieldKind, string>> = { kw: 'kW', amp: 'A', celsius: '°C', mgM3: 'mg/m³', m3h: 'm³/h' };

/** Epoch ms between 2000 and 2100: shown as a time even under a key this version does not know. */
const looksLikeEpochMs = (v: number): boolean => Number.isInteger(v) && v >= 946_684_800_000 && v < 4_102_444_800_000;

/** A bearing in words: the compass point and the degrees, e.g. 西南 225°. */
export const bearingText = (deg: number, w: Pick<Words, 't'>): string => `${w.t(`compass.${compassPoint(deg)}`)} ${deg}°`;

function formatValue(kind: FieldKind | undefined, key: string, v: EvidenceScalar, alert: Pick<Alert, 'unit'>, w: Words): string {
  if (v === null) return w.t('common.none');
  if (typeof v === 'boolean') return w.t(v ? 'duty.yes' : 'duty.no');
  if (typeof v === 'string') {
    if (kind === 'flag') return w.te(`flag.${v}`) ? `${w.t(`flag.${v}`)} (${v})` : v;
    if (kind === 'source') return w.sourceName(v);
    if (kind === 'rule') return ruleName(v, w);
    if (kind === 'relayPattern') return w.te(`relayPattern.${v}`) ? w.t(`relayPattern.${v}`) : w.t('evidence.other');
    return v;
  }
  switch (kind) {
    case 'time':
      return w.dateTime(v);
    case 'date':
      return w.date(v);
    case 'seconds':
      return v >= 120 && v % 60 === 0 ? w.withUnit(v / 60, w.t('unit.min')) : w.withUnit(v, w.t('unit.s'));
    case 'count':
      return w.withUnit(v, w.t(`evidenceUnit.${key}`));
    case 'alertUnit':
      return w.withUnit(v, alert.unit);
    case 'kgH':
      return w.withUnit(v, 'kg/h');
    case 'percent':
      return w.withUnit(v, '%');
    case 'flow':
      return w.withUnit(v, 'm³/s');
    case 'ratio':
      return w.withUnit(v, '');
    case 'degrees':
      return bearingText(v, w);
    case 'km':
      return w.withUnit(v, 'km');
    case 'kw':
    case 'amp':
    case 'celsius':
    case 'mgM3':
    case 'm3h':
      return w.withUnit(v, FIXED_UNITS[kind] ?? '');
    default:
      return looksLikeEpochMs(v) ? w.dateTime(v) : w.withUnit(v, '');
  }
}

/**
 * [label, value] per evidence field; a key this version does not know gets a generic label, never
 * itself. Tables (arrays of rows) are not fields: evidenceTables shows them.
 */
export function evidenceRows(evidence: Evidence, alert: Pick<Alert, 'unit'>, w: Words): [string, string][] {
  return Object.entries(evidence).flatMap(([key, v]): [string, string][] => {
    const kind = EVIDENCE_FIELDS[key];
    if (Array.isArray(v) || kind === 'hidden') return [];
    return [[kind ? w.t(`evidence.${key}`) : w.t('evidence.other'), formatValue(kind, key, v, alert, w)]];
  });
}

/** The rule's name in the current language; an unknown rule gets a generic name, never its id. */
export const ruleName = (rule: string, w: Pick<Words, 't' | 'te'>): string =>
  w.te(`rule.${rule}`) ? w.t(`rule.${rule}`) : w.t('rule.other');

/** An alert's unit as shown: seconds (the offline alert's silence) in words, everything else as the catalog has it. */
export const unitLabel = (unit: string, w: Pick<Words, 't'>): string => (unit === 's' ? w.t('unit.s') : unit);

/** The factor label of an alert; `*` (a whole source: offline) is "all factors". */
export const isWholeSource = (factor: string): boolean => factor === '*';

function detailText(d: HistoryDetail, w: Words): string {
  switch (d.code) {
    case 'measured': {
      const unit = unitLabel(d.unit, w);
      const value = w.withUnit(d.value, unit);
      const base =
        d.limit === null ? w.t('note.measuredNoLimit', { value }) : w.t('note.measured', { value, limit: w.withUnit(d.limit, unit) });
      return d.suppressed ? `${base}${w.t('note.quietly', { why: w.t(`alert.suppressed.${d.suppressed}`) })}` : base;
    }
    case 'peak':
    case 'cleared':
      return w.t(`note.${d.code}`, { value: w.withUnit(d.value, unitLabel(d.unit, w)) });
    case 'closedAfterAcknowledged':
    case 'closedAfterCleared':
      return w.t(`note.${d.code}`);
    case 'assigned':
      return d.assignee === null ? w.t('note.unassigned') : w.t('note.assigned', { who: d.assignee });
    case 'silenced':
      return w.t('note.silenced', { id: d.silenceId, until: w.dateTime(d.endsAt) });
    case 'escalated':
      return w.t('note.escalated', { minutes: d.minutes });
    case 'escalationStep': {
      const to = d.to === 'user' ? w.t('note.stepToUser') : w.t(`roster.position.${d.to}`);
      if (d.user === null) return w.t('note.escalationStepNobody', { step: d.step, minutes: d.minutes, to });
      const channels = d.channels.length ? d.channels.map((c) => w.t(`roster.channel.${c}`)).join('、') : w.t('note.stepNoChannel');
      return w.t('note.escalationStep', { step: d.step, minutes: d.minutes, to, user: d.user, channels });
    }
    default:
      return '';
  }
}

/** The lines a history entry shows: the server's detail in words, then what a person wrote. */
export function historyLines(e: Pick<AlertHistoryEntry, 'note' | 'detail'>, w: Words): string[] {
  return [e.detail ? detailText(e.detail, w) : '', e.note ?? ''].filter((s) => s !== '');
}
