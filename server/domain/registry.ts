/** The bureau's registry of networked enterprises and their outlets (sources). */
import { z } from 'zod';
import { SEVERITIES } from './alert';
import { catalog } from './catalog';
import { SOURCE_KINDS } from './source-kinds';

export const limitSchema = z
  .object({
    /** Upper limit in the factor's unit; a value above it is an exceedance. */
    max: z.number().optional(),
    /** Lower limit (a range such as an A/L ratio, or a minimum flare temperature). */
    min: z.number().optional(),
    /** Compare the value converted to the source's reference O2 (DOMAIN §5). */
    o2Converted: z.boolean().default(false),
    severity: z.enum(SEVERITIES).default('major'),
  })
  .strict()
  .refine((l) => l.max !== undefined || l.min !== undefined, 'a limit needs max, min or both')
  .refine((l) => l.max === undefined || l.min === undefined || l.min < l.max, 'min must be below max');
export type Limit = z.infer<typeof limitSchema>;

/** HJ 212 MNs are 24 characters; 14-character ones exist in the wild (DOMAIN §3). */
export const mnSchema = z.string().regex(/^[A-Za-z0-9]{14,24}$/, 'MN must be 14–24 letters or digits');

export const enterpriseSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  district: z.string().min(1),
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

export const sourceSchema = z.object({
  mn: mnSchema,
  enterpriseId: z.string(),
  name: z.string().min(1),
  kind: z.enum(SOURCE_KINDS),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** The district the source lies in when it is not its enterprise's (a city-wide operator's stations). */
  district: z.string().min(1).optional(),
  /** Where the analyser sits: limits judge outlets; an inlet feeds removal efficiency. */
  position: z.enum(['outlet', 'inlet']).default('outlet'),
  /** Reference O2 in % for converting flue-gas concentrations; absent for non-combustion sources. */
  o2Ref: z.number().min(0).max(20).optional(),
  /**
   * HJ 212 access password (PW) of the source's data logger, checked on every frame. Required: a
   * registry with a source without one is refused at start unless hj212.allowMissingPw is set
   * (see loggersWithoutPassword). New ones come from generateLoggerPassword (logger-password.ts).
   */
  pw: z
    .string()
    .max(64)
    .regex(/^[!-~]*$/, 'pw must be printable ASCII without spaces')
    .refine((pw) => !/[;,&=]/.test(pw), 'pw must not contain ; , & or = (HJ 212 separators)')
    .optional(),
  /** MQTT password of the source's data logger (its MQTT username is its MN); needed when the broker enforces auth. */
  mqttPassword: z.string().min(8).max(64).optional(),
  /** Expected reporting interval of real-time data, in seconds. */
  intervalS: z.number().int().positive().default(30),
  /** An outlet's treatment-unit inlet (its MN), for the removal-efficiency rule: same enterprise, position inlet. */
  inletMn: mnSchema.optional(),
  /** Per-factor limits that override the rule pack's defaults for this kind (a permit's limits). */
  limits: z
    .record(z.string().refine(catalog.has, { error: (i) => `unknown factor "${String(i.input)}"` }), limitSchema)
    .default({}),
});
export type Source = z.infer<typeof sourceSchema>;

export const registrySchema = z
  .object({
    enterprises: z.array(enterpriseSchema).min(1),
    sources: z.array(sourceSchema).min(1),
  })
  .superRefine((reg, ctx) => {
    const ids = new Set(reg.enterprises.map((e) => e.id));
    const mns = new Set<string>();
    reg.sources.forEach((s, i) => {
      if (!ids.has(s.enterpriseId)) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'enterpriseId'], message: `unknown enterprise "${s.enterpriseId}"` });
      }
      if (mns.has(s.mn)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'mn'], message: `duplicate MN "${s.mn}"` });
      mns.add(s.mn);
    });
    reg.sources.forEach((s, i) => {
      const inletIssue = s.inletMn === undefined ? undefined : checkInlet(s, reg.sources);
      if (inletIssue) ctx.addIssue({ code: 'custom', path: ['sources', i, 'inletMn'], message: inletIssue });
    });
  });

/** Why an outlet's `inletMn` is wrong, or undefined: it must name an inlet of the same enterprise. */
function checkInlet(outlet: Source, sources: readonly Source[]): string | undefined {
  const inlet = sources.find((o) => o.mn === outlet.inletMn);
  if (outlet.position !== 'outlet') return `only an outlet names an inlet; ${outlet.mn} is an inlet`;
  if (!inlet) return `unknown inlet MN "${outlet.inletMn}"`;
  if (inlet.position !== 'inlet') return `source "${inlet.mn}" is not an inlet (position: ${inlet.position})`;
  if (inlet.enterpriseId !== outlet.enterpriseId) {
    return `inlet "${inlet.mn}" belongs to enterprise "${inlet.enterpriseId}", not "${outlet.enterpriseId}"`;
  }
  return undefined;
}
export type Registry = z.infer<typeof registrySchema>;

/** MNs of the sources whose logger has no HJ 212 password (absent or empty): refused at start. */
export function loggersWithoutPassword(registry: Pick<Registry, 'sources'>): string[] {
  return registry.sources.filter((s) => s.pw === undefined || s.pw === '').map((s) => s.mn);
}

/** The district a source lies in: its own, else its enterprise's ('' for an unknown enterprise). */
export function sourceDistrict(source: Pick<Source, 'district' | 'enterpriseId'>, enterprises: readonly Enterprise[]): string {
  return source.district ?? enterprises.find((e) => e.id === source.enterpriseId)?.district ?? '';
}
