/**
 * What a facility's logger sends about it (issue 16, docs/working-condition.md): its role follows
 * from its kind and treatment technology, and the role names its signal families. The simulators
 * draw these signals; the working-condition strip asks for them. Pure.
 */
import type { Facility } from './registry';
import { SIGNAL, type SignalFamilyKey } from './working-condition';

export type FacilityRole =
  'line' | 'meter' | 'combustion' | 'reductant' | 'desulfurization' | 'fgr' | 'adsorber' | 'flare' | 'purifier' | 'treatment';

/** The signal families each role sends. */
export const ROLE_SIGNALS: Record<FacilityRole, readonly SignalFamilyKey[]> = {
  line: [SIGNAL.runningState, SIGNAL.power],
  meter: [SIGNAL.power],
  combustion: [SIGNAL.runningState, SIGNAL.power, SIGNAL.current, SIGNAL.combustionTemp],
  reductant: [SIGNAL.runningState, SIGNAL.power, SIGNAL.current, SIGNAL.reductantFlow],
  desulfurization: [SIGNAL.runningState, SIGNAL.power, SIGNAL.current, SIGNAL.bypassValve, SIGNAL.bypassSeal],
  fgr: [SIGNAL.runningState, SIGNAL.valvePosition],
  adsorber: [SIGNAL.runningState, SIGNAL.power, SIGNAL.current, SIGNAL.adsorberDp],
  flare: [SIGNAL.flareGasFlow, SIGNAL.assistGasFlow, SIGNAL.pilotFlame, SIGNAL.combustionTemp],
  purifier: [SIGNAL.runningState, SIGNAL.power],
  treatment: [SIGNAL.runningState, SIGNAL.power, SIGNAL.current],
};

/** Technology keywords, first match wins (a zeolite rotor + RCO burns; SDS + SCR doses reductant). */
const TECHNOLOGY_ROLES: ReadonlyArray<[RegExp, FacilityRole]> = [
  [/火炬|flare/i, 'flare'],
  [/RTO|RCO|焚烧|催化燃烧|catalytic|oxidi[sz]er/i, 'combustion'],
  [/SCR|SNCR|脱硝/i, 'reductant'],
  [/FGR|烟气再循环/i, 'fgr'],
  [/脱硫|FGD/i, 'desulfurization'],
  [/油烟|purifier/i, 'purifier'],
  [/吸附|活性炭|adsorb/i, 'adsorber'],
];

export function facilityRole(f: Pick<Facility, 'kind' | 'technology' | 'adsorbentDays'>): FacilityRole {
  if (f.kind === 'production-line') return 'line';
  if (f.kind === 'power-meter') return 'meter';
  const match = TECHNOLOGY_ROLES.find(([re]) => re.test(f.technology ?? ''));
  if (match) return match[1];
  return f.adsorbentDays !== undefined ? 'adsorber' : 'treatment';
}

/** The working-condition strip's lane groups and the thresholds drawn with a lane (working-condition-strip.ts). */
export const STRIP_GROUPS = ['production', 'treatment', 'emission'] as const;
export type StripGroup = (typeof STRIP_GROUPS)[number];
export const STRIP_THRESHOLDS = ['runningKw', 'runningA', 'minTempC', 'limit'] as const;
