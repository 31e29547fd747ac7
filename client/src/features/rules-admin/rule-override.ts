/**
 * A source's rule override as a form (pure, no Vue): the draft an administrator edits (limits per
 * factor, the scalar rule parameters), the PUT /api/rules/sources/:mn body it makes, and the
 * server's `invalid_rules` issues ("<MN>.limitInstant.repeat: repeat must be at least 1") turned
 * into a form field, a label and a message in the user's language — never a raw key.
 */
import { SEVERITIES, type Severity } from '@domain/alert';
import { RULE_IDS } from '@domain/rule-ids';

/** A limit as the rules apply it (server/domain/registry.ts `Limit`). */
export interface RuleLimit {
  max?: number;
  min?: number;
  o2Converted: boolean;
  severity: Severity;
}
export type RuleSections = Record<string, Record<string, unknown>>;
export interface SourceOverride {
  limits?: Record<string, RuleLimit>;
  rules?: RuleSections;
}
/** GET /api/rules/sources/:mn. */
export interface SourceRules {
  mn: string;
  limits: Record<string, RuleLimit>;
  params: RuleSections | null;
  override: SourceOverride | null;
}

/** The scalar rule parameters the form edits, `section.field` (the others in an override are kept as they are). */
export const PARAM_FIELDS = [
  'limitInstant.repeat',
  'limitInstant.durationS',
  'limitInstant.clearMarginPct',
  'limitHour.minValidMinutes',
  'limitHour.graceS',
  'limitDay.minValidHours',
  'offline.missedIntervals',
  'offline.criticalAfterS',
  'offline.caseAfterS',
  'flatLine.windowS',
  'flatLine.minSamples',
  'flatLine.epsilon',
  'flatLine.relTolerancePct',
  'removalEfficiency.target',
  'removalEfficiency.minInletKgH',
  'alRatio.warnDays',
  'alRatio.alarmDays',
  'tankPressure.durationS',
  'flareTemperature.durationS',
  'o2Conversion.measuredCap',
  'zsMismatch.tolerancePct',
  'zsMismatch.repeat',
  'o2Ambient.o2Min',
  'o2Ambient.flowMin',
  'o2Ambient.durationS',
  'nearLimit.bandLowPct',
  'nearLimit.bandHighPct',
  'nearLimit.durationS',
  'copiedData.window',
  'copiedData.lookbackS',
  'copiedData.maxWindows',
  'copiedData.indexEvery',
  'stepDrop.dropPct',
  'stepDrop.windowS',
  'stepDrop.minSamples',
  'declaredStopRunning.sustainS',
  'adsorbentOverdue.graceDays',
  'unplannedStartStop.toleranceDays',
  // Working condition (issue 16): set on a facility's logger, they apply to the facilities whose signals it carries.
  'treatmentOff.durationS',
  'startOrder.startLeadS',
  'startOrder.stopLagS',
  'reductantStopped.flowMax',
  'reductantStopped.durationS',
  'combustionTempLow.minTempC',
  'combustionTempLow.durationS',
  'flareUpset.gasMin',
  'flareUpset.assistMax',
  'flareUpset.minTempC',
  'flareUpset.durationS',
  'fgrClosed.closedMaxPct',
  'fgrClosed.durationS',
  'noRawHj212.periodS',
  'relay.maxSourcesPerConnection',
  'relay.windowS',
  'dustMean.pm10QuarterMax',
  'dustMean.pm10HourMax',
  'dustMean.tspQuarterMax',
  'dustMean.tspHourMax',
  'dustMean.quarterMinValidMinutes',
] as const;
export type ParamField = (typeof PARAM_FIELDS)[number];

export interface LimitDraft {
  factor: string;
  max: string;
  min: string;
  o2Converted: boolean;
  severity: Severity;
}
export interface OverrideDraft {
  limits: LimitDraft[];
  /** `section.field` → the typed text; '' = not overridden (the pack's value applies). */
  params: Record<ParamField, string>;
}

/** A message for the user: a locale key under `rulesAdmin.issue` and its parameters. */
export interface IssueText {
  key: string;
  params?: Record<string, string>;
}
/** Form field → what is wrong with it. Fields: `limits.<factor>`, `limits.row.<i>`, `<section>.<field>`, `general`. */
export type FormErrors = Record<string, IssueText>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const split = (f: ParamField): [string, string] => f.split('.') as [string, string];

export const emptyLimitDraft = (): LimitDraft => ({ factor: '', max: '', min: '', o2Converted: false, severity: 'major' });

/** The form for an override (none: an empty form). */
export function draftOf(override: SourceOverride | null): OverrideDraft {
  const limits = Object.entries(override?.limits ?? {}).map(([factor, l]) => ({
    factor,
    max: l.max === undefined ? '' : String(l.max),
    min: l.min === undefined ? '' : String(l.min),
    o2Converted: l.o2Converted,
    severity: l.severity,
  }));
  const params = Object.fromEntries(
    PARAM_FIELDS.map((f) => {
      const [s, k] = split(f);
      const v = override?.rules?.[s]?.[k];
      return [f, typeof v === 'number' ? String(v) : ''];
    }),
  ) as Record<ParamField, string>;
  return { limits, params };
}

/** '' → undefined; a number → it; anything else → NaN (a local "must be a number"). */
function numberOf(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : Number.NaN;
}

/**
 * The PUT body of a draft, or the problems the form can tell without asking the server (a text
 * that is no number, a limit without a factor or with a factor twice). Range and consistency
 * checks are the server's: its issues are shown by `issueOf`. Parameters of `before` the form
 * does not edit (detection floors, watched factors, bounds) are kept.
 */
export function bodyOf(draft: OverrideDraft, before: SourceOverride | null): { body: SourceOverride; errors: FormErrors } {
  const errors: FormErrors = {};
  const limits: Record<string, RuleLimit> = {};
  draft.limits.forEach((row, i) => {
    if (!row.factor) return void (errors[`limits.row.${i}`] = { key: 'factorRequired' });
    if (limits[row.factor]) return void (errors[`limits.${row.factor}`] = { key: 'duplicateFactor' });
    const max = numberOf(row.max);
    const min = numberOf(row.min);
    if (Number.isNaN(max) || Number.isNaN(min)) return void (errors[`limits.${row.factor}`] = { key: 'number' });
    const severity = (SEVERITIES as readonly string[]).includes(row.severity) ? row.severity : 'major';
    limits[row.factor] = {
      ...(max === undefined ? {} : { max }),
      ...(min === undefined ? {} : { min }),
      o2Converted: row.o2Converted,
      severity,
    };
  });
  const rules: RuleSections = structuredClone(before?.rules ?? {});
  for (const f of PARAM_FIELDS) {
    const [s, k] = split(f);
    const v = numberOf(draft.params[f]);
    if (Number.isNaN(v)) errors[f] = { key: 'number' };
    const section = { ...(isObj(rules[s]) ? rules[s] : {}) };
    delete section[k];
    if (v !== undefined && !Number.isNaN(v)) section[k] = v;
    if (Object.keys(section).length > 0) rules[s] = section;
    else delete rules[s];
  }
  const body: SourceOverride = {};
  if (Object.keys(limits).length > 0) body.limits = limits;
  if (Object.keys(rules).length > 0) body.rules = rules;
  return { body, errors };
}

/** What the server's English says, as a message key (numbers carried over); unknown wording: `invalid`. */
const MESSAGES: [RegExp, string, string[]][] = [
  [/must be between (-?[\d.]+) and (-?[\d.]+)/, 'between', ['min', 'max']],
  [/must be at least (-?[\d.]+)/, 'atLeast', ['n']],
  [/must be at most (-?[\d.]+)/, 'atMost', ['n']],
  [/must not be below warnDays/, 'alarmBelowWarn', []],
  [/must be below bandHighPct/, 'bandLowBelowHigh', []],
  [/whole number/, 'integer', []],
  [/must not be negative/, 'nonNegative', []],
  [/must be a positive number|must be above 0 µg/, 'positive', []],
  [/target is a fraction/, 'fraction', []],
  [/must be above 0 % O2|must be below 21 % O2/, 'o2Cap', []],
  [/min must be below max/, 'minBelowMax', []],
  [/needs (max, min|min, max) or both/, 'needBound', []],
  [/unknown factor code/, 'unknownFactor', []],
  [/Unrecognized key/i, 'unknownField', []],
  [/must be a number|expected number/i, 'number', []],
];

export function messageOf(why: string): IssueText {
  for (const [re, key, names] of MESSAGES) {
    const m = re.exec(why);
    if (m) return names.length ? { key, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) } : { key };
  }
  return { key: 'invalid' };
}

export interface FormIssue {
  /** The form field it sits beside (see FormErrors). */
  field: string;
  /** Where it is, for labelOf: ['limits', factor, 'max'?] or [section, field?]; [] for the whole override. */
  path: string[];
  message: IssueText;
}

/** One `where: why` line of an `invalid_rules` refusal for source `mn`, placed on the form. */
export function issueOf(line: string, mn: string): FormIssue {
  const at = line.indexOf(': ');
  const where = at < 0 ? '' : line.slice(0, at);
  const why = at < 0 ? line : line.slice(at + 2);
  let path = where === '(top level)' ? [] : where.split('.').filter(Boolean);
  if (path[0] === mn) path = path.slice(1);
  const message = messageOf(why);
  if (path[0] === 'limits' && path[1]) return { field: `limits.${path[1]}`, path: path.slice(0, 3), message };
  const param = `${path[0]}.${path[1]}`;
  if ((PARAM_FIELDS as readonly string[]).includes(param)) return { field: param, path: path.slice(0, 2), message };
  if (path[0] && isSection(path[0])) return { field: 'general', path: path.slice(0, 1), message };
  return { field: 'general', path: [], message };
}

const SECTIONS = [...Object.keys(RULE_IDS), 'o2Conversion'];
const isSection = (s: string): boolean => SECTIONS.includes(s);

/** The issues of a refusal by form field (the first issue of a field wins; the rest go to `general`). */
export function errorsOf(lines: readonly string[], mn: string): { errors: FormErrors; general: FormIssue[] } {
  const errors: FormErrors = {};
  const general: FormIssue[] = [];
  for (const line of lines) {
    const issue = issueOf(line, mn);
    if (issue.field === 'general' || errors[issue.field]) general.push(issue);
    else errors[issue.field] = issue.message;
  }
  return { errors, general };
}

export interface Words {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
  factor: (code: string) => string;
}

/** A field's label in the user's words: "二氧化硫 限值 · 上限", "瞬时值超标预警 · 连续超限次数（次）", "规则参数". */
export function labelOf(path: readonly string[], w: Words): string {
  const [head, second, third] = path;
  if (head === 'limits' && second) {
    const sub = third && w.te(`rulesAdmin.limitField.${third}`) ? ` · ${w.t(`rulesAdmin.limitField.${third}`)}` : '';
    return `${w.t('rulesAdmin.limitOf', { factor: w.factor(second) })}${sub}`;
  }
  if (head && isSection(head)) {
    const section = w.t(`rulesAdmin.section.${head}`);
    const key = `rulesAdmin.param.${head}.${second ?? ''}`;
    return second && w.te(key) ? `${section} · ${w.t(key)}` : section;
  }
  return w.t('rulesAdmin.override');
}

/** An issue in words: "瞬时值超标预警 · 连续超限次数（次）：不得小于 1". */
export const issueText = (issue: Pick<FormIssue, 'path' | 'message'>, w: Words): string =>
  w.t('rulesAdmin.issueLine', {
    label: labelOf(issue.path, w),
    message: w.t(`rulesAdmin.issue.${issue.message.key}`, issue.message.params),
  });
