/** The registry import's shapes: what it merges into, its options, and what it answers. */
import type { Enterprise, Facility, Source } from '../domain/registry';
import type { Refusal } from './sheet-layout';

/** A registry that may still be empty (importing into nothing). */
export interface RegistryDraft {
  enterprises: readonly Enterprise[];
  sources: readonly Source[];
  facilities?: readonly Facility[] | undefined;
}

/** The city's bounding box, degrees (WGS-84 / GCJ-02 as the registry holds them). */
export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface MergeOptions {
  bounds?: Bounds | undefined;
  /** Generate logger credentials for new sources that bring none (apply; a dry run generates none). */
  generateCredentials: boolean;
  /** Yields to the event loop between chunks of rows (default: setImmediate every 500 rows). */
  pause?: () => Promise<void>;
}

export interface Tally {
  added: number;
  changed: number;
  unchanged: number;
}

export interface GeneratedCredentials {
  mn: string;
  enterpriseId: string;
  name: string;
  pw: string;
  mqttPassword: string;
}

export interface MergeResult {
  next: RegistryDraft;
  summary: { enterprises: Tally; sources: Tally; facilities: Tally };
  refused: Refusal[];
  /** Credentials generated for new sources: shown once. */
  credentials: GeneratedCredentials[];
  /** Set when the merged registry cannot be applied at all (e.g. it would hold no enterprise or source). */
  blocked?: string;
}
