/** The kind function and the factor codes of each source kind. */
import type { SourceKind } from '../../server/domain/source-kinds';
import { AMBIENT_FACTORS, WIND_FACTORS, ambientSample } from './ambient';
import { AMMONIA_FACTORS, ammoniaSample } from './ammonia';
import { CEMS_FACTORS, cemsSample } from './cems';
import type { KindGenerator } from './sample';
import { VAPOUR_FACTORS, vapourSample } from './vapour';
import { CATERING_FACTORS, CONDITION_FACTORS, DUST_FACTORS, cateringSample, conditionSample, dustSample } from './site';
import { VOCS_FACTORS, vocsSample } from './vocs';

export type { KindGenerator, KindSample, SampleFactor } from './sample';

export const KIND_GENERATORS: Record<SourceKind, KindGenerator> = {
  cems: cemsSample,
  vocs: vocsSample,
  ammonia: ammoniaSample,
  vapour: vapourSample,
  ambient: ambientSample,
  condition: conditionSample,
  catering: cateringSample,
  dust: dustSample,
};

/** Every factor code a kind may produce (a sample may omit some, e.g. idle nozzles). */
export const KIND_FACTORS: Record<SourceKind, readonly string[]> = {
  cems: CEMS_FACTORS,
  vocs: VOCS_FACTORS,
  ammonia: AMMONIA_FACTORS,
  vapour: VAPOUR_FACTORS,
  ambient: [...AMBIENT_FACTORS, ...WIND_FACTORS],
  condition: CONDITION_FACTORS,
  catering: CATERING_FACTORS,
  dust: DUST_FACTORS,
};
