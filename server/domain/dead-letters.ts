/**
 * The dead-letter port: input the product refuses for good is counted by reason, logged and kept
 * for the operator (republished on sentinel/v1/deadletter), so the stream goes on. The JSON decoder
 * hands it the messages it rejects, the batch writer the readings the store refuses; the composition
 * root builds one and passes it to both.
 */
import type { Reading } from './reading';

export interface DeadLetters<Reason extends string = string> {
  /** A message refused before it became a reading. */
  message(topic: string, payload: Uint8Array, reason: Reason, detail: string): void;
  /** A reading the store refused for good (a poison reading, isolated from its batch). */
  storeRefused(reading: Reading, detail: string): void;
}
