/**
 * maintenance-flag: values flagged M (maintenance) or C (calibration) raise an `info` finding,
 * cleared by the factor's next N value. The alert lifecycle keeps these quiet inside declared
 * maintenance windows; outside one, undeclared maintenance is worth the officer's eye.
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { flagWatchStep, type FlagState, type FlagWatch } from './flag-watch';
import type { Step } from './rule-context';

export const MAINTENANCE_FLAG_RULE = RULE_IDS.maintenanceFlag;
const WATCH: FlagWatch = { rule: MAINTENANCE_FLAG_RULE, flags: ['M', 'C'], severity: 'info' };

export const maintenanceFlagStep = (state: FlagState, reading: Reading): Step<FlagState> => flagWatchStep(state, reading, WATCH);
