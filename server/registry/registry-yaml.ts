/**
 * The registry (or one enterprise's part) as YAML in the config/registry.yaml form: one flow map per
 * enterprise, source and facility. Logger credentials only on request (administrators); without
 * them the file is a record, not a start-up registry (the loader refuses sources without `pw`
 * unless hj212.allowMissingPw is set) — the header comment says so.
 */
import YAML, { isMap, isSeq } from 'yaml';
import type { Enterprise, Facility, Source } from '../domain/registry';

export interface YamlExport {
  enterprises: readonly Enterprise[];
  sources: readonly Source[];
  facilities?: readonly Facility[] | undefined;
}

/** A source as the YAML writes it: no empty `limits`, credentials only when asked. */
function sourceOut(s: Source, credentials: boolean): Record<string, unknown> {
  const { pw, mqttPassword, limits, ...rest } = s;
  return {
    ...rest,
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(credentials && pw !== undefined ? { pw } : {}),
    ...(credentials && mqttPassword !== undefined ? { mqttPassword } : {}),
  };
}

export function exportRegistryYaml(reg: YamlExport, opts: { credentials?: boolean; exportedAt?: string } = {}): string {
  const credentials = opts.credentials === true;
  const body: Record<string, unknown> = {
    enterprises: reg.enterprises,
    sources: reg.sources.map((s) => sourceOut(s, credentials)),
    ...(reg.facilities && reg.facilities.length > 0 ? { facilities: reg.facilities } : {}),
  };
  const doc = new YAML.Document(body);
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isSeq(pair.value)) for (const item of pair.value.items) if (isMap(item)) item.flow = true;
    }
  }
  const note = credentials
    ? ' Contains the loggers\' credentials (pw, mqttPassword): keep it as secret as they are.'
    : ' Without logger credentials: as a start-up registry it needs pw per source (or hj212.allowMissingPw).';
  doc.commentBefore = ` O3 Sentinel registry export${opts.exportedAt ? ` ${opts.exportedAt}` : ''}: ${reg.enterprises.length} enterprises, ` +
    `${reg.sources.length} sources, ${reg.facilities?.length ?? 0} facilities.\n${note}`;
  return doc.toString({ lineWidth: 0 });
}
