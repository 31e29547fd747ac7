/**
 * The wall's filters on an alert's source (district, kind, overseeing department) and its text
 * search on names (the source's, its enterprise's, the factor's in Chinese and English), turned into
 * what the alert store can ask: MNs and factor codes. The alert table keeps only MNs, codes and ids;
 * the names live in the registry and the catalog. Pure: the registry's facts in, the lists out.
 */
import { catalog } from './catalog';
import type { Department } from './site-register';
import type { SourceKind } from './source-kinds';

export interface AlertSourceFilter {
  district?: string | undefined;
  kind?: SourceKind | undefined;
  department?: Department | undefined;
  /** Free text, matched against the names (the store matches the MN, codes and assignee itself). */
  q?: string | undefined;
}

/** What an alert's filter needs to know of a source. */
export interface AlertSourceFacts {
  mn: string;
  name: string;
  kind: SourceKind;
  district: string;
  enterpriseName: string;
  ownerDepartment?: Department | undefined;
}

export interface AlertSourceNarrowing {
  /** Only these sources' alerts; undefined: no source filter asked. */
  mns?: string[];
  /** With `q`: the sources whose name or enterprise's name contains it. */
  qMns?: string[];
  /** With `q`: the factors whose Chinese or English name contains it. */
  qFactors?: string[];
}

export function narrowBySource(sources: Iterable<AlertSourceFacts>, f: AlertSourceFilter): AlertSourceNarrowing {
  const bySource = f.district !== undefined || f.kind !== undefined || f.department !== undefined;
  const text = f.q?.trim().toLowerCase();
  if (!bySource && !text) return {};
  const mns: string[] = [];
  const qMns: string[] = [];
  for (const s of sources) {
    if (
      bySource &&
      (f.district === undefined || s.district === f.district) &&
      (f.kind === undefined || s.kind === f.kind) &&
      (f.department === undefined || s.ownerDepartment === f.department)
    )
      mns.push(s.mn);
    if (text && (s.name.toLowerCase().includes(text) || s.enterpriseName.toLowerCase().includes(text))) qMns.push(s.mn);
  }
  const out: AlertSourceNarrowing = bySource ? { mns } : {};
  if (!text) return out;
  const qFactors = catalog
    .all()
    .filter((c) => c.zh.toLowerCase().includes(text) || c.en.toLowerCase().includes(text))
    .map((c) => c.code);
  return { ...out, qMns, qFactors };
}
