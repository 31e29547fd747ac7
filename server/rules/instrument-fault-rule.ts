/**
 * instrument-fault: a value flagged D (instrument fault) or B (instrument–logger communication
 * failure) is an equipment alert (DOMAIN §3), major, cleared by the factor's next N value.
 */
import type { Reading } from '../domain/reading';
import { RULE_IDS } from '../domain/rule-pack';
import { flagWatchStep, type FlagState, type FlagWatch } from './flag-watch';
import type { Step } from './rule-context';

export const INSTRUMENT_FAULT_RULE = RULE_IDS.instrumentFault;
const WATCH: FlagWatch = { rule: INSTRUMENT_FAULT_RULE, flags: ['D', 'B'], severity: 'major' };

export const instrumentFaultStep = (state: FlagState, reading: Reading): Step<FlagState> => flagWatchStep(state, reading, WATCH);
