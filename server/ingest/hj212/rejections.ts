/**
 * Why an HJ 212 frame was refused: a closed set, each counted (Hj212Stats), logged, archived with
 * the frame and, where the standard has a code for it and the logger asked for an answer, replied
 * to with 9011 QnRtn (HJ 212-2017: 2 refused, 3 PW, 4 MN, 8 CN error).
 */
import { CODEC_REJECTIONS } from '../../domain/hj212/decode';

export const HJ212_REJECTION_REASONS = [
  // The envelope and the data segment (server/domain/hj212): no reply, the logger resends.
  ...CODEC_REJECTIONS,
  /** MQTT: the topic is not sentinel/v1/{mn}/hj212. */
  'bad_topic',
  /** MQTT: the payload exceeds ingest.maxPayloadBytes. */
  'too_large',
  /** MQTT: the frame's MN is not the MN of its topic. */
  'mn_mismatch',
  'unknown_mn',
  'bad_password',
  /** A CN this server does not take (it is archived, not turned into data). */
  'unsupported_cn',
  /** Flag says split but PNUM/PNO are missing or inconsistent. */
  'bad_split',
  /** A data upload without a real DataTime. */
  'bad_datatime',
  /** DataTime further ahead of the server clock than ingest.maxFutureSkewS. */
  'future_timestamp',
  /** DataTime further in the past than ingest.maxPastAgeH. */
  'stale_timestamp',
  /** Other values for an instant (MN + CN + DataTime) already taken from another peer address. */
  'rewrite_refused',
  /**
   * Every factor has a value that is not a number or a data flag that is not N F M S D C T B (a bad
   * factor among good ones is left out alone and counted in factorsRefused).
   */
  'bad_value',
  /** A data upload with no usable value. */
  'no_values',
  /** The store refused the reading (no 9014 is sent: the logger resends). */
  'store_refused',
] as const;
export type Hj212RejectionReason = (typeof HJ212_REJECTION_REASONS)[number];

/** HJ 212-2017 QnRtn codes sent back in a 9011 for a refused upload that asked for an answer. */
export const QN_RTN: Partial<Record<Hj212RejectionReason, number>> = {
  mn_mismatch: 4,
  unknown_mn: 4,
  bad_password: 3,
  unsupported_cn: 8,
  bad_split: 2,
  bad_datatime: 2,
  future_timestamp: 2,
  stale_timestamp: 2,
  rewrite_refused: 2,
  bad_value: 2,
  no_values: 2,
};
