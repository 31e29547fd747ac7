/**
 * The built JSON of closed days' reports, kept per (day, scope) so a report asked again is sent as
 * it was built (issue 20). An entry holds the subjects it was built for and answers only while each
 * is still the same object (the rule book and registry hand out new ones when a source, its limits
 * or its enterprise change) and the key's stamps (late data, alerts) are unchanged. Bounded by the
 * characters held: the oldest entries go first.
 */
import type { ReportSubject } from './report-builder';

interface Entry {
  subjects: readonly ReportSubject[];
  json: string;
}

const sameSubject = (a: ReportSubject, b: ReportSubject): boolean =>
  a.source === b.source &&
  a.limits === b.limits &&
  a.enterpriseName === b.enterpriseName &&
  a.minValidMinutes === b.minValidMinutes &&
  a.minValidHours === b.minValidHours;

export class ReportCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string, subjects: readonly ReportSubject[]): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.subjects.length === subjects.length && e.subjects.every((s, i) => sameSubject(s, subjects[i] as ReportSubject))) return e.json;
    this.delete(key);
    return undefined;
  }

  set(key: string, subjects: readonly ReportSubject[], json: string): void {
    this.delete(key);
    if (json.length > this.maxChars) return;
    this.entries.set(key, { subjects, json });
    this.chars += json.length;
    for (const [k, e] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.chars -= e.json.length;
      this.entries.delete(k);
    }
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.chars -= e.json.length;
    this.entries.delete(key);
  }
}
