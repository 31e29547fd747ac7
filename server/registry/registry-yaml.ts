/**
 * The registry (or one enterprise's part) as YAML in the config/registry.yaml form: one flow map per
 * enterprise, source and facility, written directly (the yaml library's document model takes
 * seconds for 20,000 sources). Logger credentials only on request (administrators); without
 * them the file is a record, not a start-up registry (the loader refuses sources without `pw`
 * unless hj212.allowMissingPw is set) — the header comment says so.
 */
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

/** A value in YAML flow style: plain keys, JSON-quoted strings (valid YAML double-quoted scalars). */
function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    const pairs = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{ ${pairs.map(([k, x]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k)}: ${flow(x)}`).join(', ')} }`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The YAML text; the event loop gets a turn every 2,000 records. */
export async function exportRegistryYaml(reg: YamlExport, opts: { credentials?: boolean; exportedAt?: string } = {}): Promise<string> {
  const credentials = opts.credentials === true;
  const note = credentials
    ? "Contains the loggers' credentials (pw, mqttPassword): keep it as secret as they are."
    : 'Without logger credentials: as a start-up registry it needs pw per source (or hj212.allowMissingPw).';
  const lines = [
    `# O3 Sentinel registry export${opts.exportedAt ? ` ${opts.exportedAt}` : ''}: ${reg.enterprises.length} enterprises, ` +
      `${reg.sources.length} sources, ${reg.facilities?.length ?? 0} facilities.`,
    `# ${note}`,
  ];
  const section = async <T>(name: string, items: readonly T[], out: (t: T) => unknown) => {
    lines.push(`${name}:`);
    for (const [i, item] of items.entries()) {
      lines.push(`  - ${flow(out(item))}`);
      if (i % 2000 === 1999) await turn();
    }
  };
  await section('enterprises', reg.enterprises, (e) => e);
  await section('sources', reg.sources, (s) => sourceOut(s, credentials));
  if (reg.facilities && reg.facilities.length > 0) await section('facilities', reg.facilities, (f) => f);
  return `${lines.join('\n')}\n`;
}
