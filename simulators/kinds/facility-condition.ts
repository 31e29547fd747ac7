/**
 * What a scenario does to a registered facility (kinds/facility.ts applies it): `on` runs it whatever
 * the hour (a kitchen fan at night), `off` stops it (power to standby, current 0, state stopped), `cold` keeps its fan running below its
 * minimum combustion temperature, `reductant-off` stops the SCR/SNCR reductant, `valve-closed` closes
 * its FGR valve, `bypass-open` opens its bypass valve and breaks the seal, `flare-upset` sends a
 * relief load to the flare with no assist gas and the flame below its minimum.
 */
export const FACILITY_CONDITIONS = ['on', 'off', 'cold', 'reductant-off', 'valve-closed', 'bypass-open', 'flare-upset'] as const;
export type FacilityCondition = (typeof FACILITY_CONDITIONS)[number];

/** The conditions in force per facility id. */
export type FacilityConditions = ReadonlyMap<string, readonly FacilityCondition[]>;
