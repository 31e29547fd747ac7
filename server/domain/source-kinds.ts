/** The kinds of monitored source the bureau networks (DOMAIN.md §2). */
export const SOURCE_KINDS = ['cems', 'vocs', 'ammonia', 'vapour', 'ambient', 'condition', 'catering', 'dust'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The factor a source kind is judged by first: its card and its detail page show it unless another is picked. */
export const MAIN_FACTOR: Record<SourceKind, string> = {
  cems: 'a21002', // NOx
  vocs: 'a24088', // NMHC
  ammonia: 'a21001', // NH3 slip
  vapour: 'apr01', // tank pressure
  ambient: 'a05024', // O3
  condition: 'gkw01', // power on channel 01 (working-condition logger, issue 16)
  catering: 'afm01', // cooking fume
  dust: 'a34002', // PM10 at the site boundary
};

/** Stack (point-source) kinds: their concentrations may be converted to reference O2. */
export const STACK_KINDS: readonly SourceKind[] = ['cems', 'vocs', 'ammonia'];

export const SOURCE_KIND_NAMES: Record<SourceKind, { zh: string; en: string }> = {
  cems: { zh: '烟气 CEMS', en: 'Flue-gas CEMS' },
  vocs: { zh: 'VOCs 在线监测', en: 'VOCs monitor' },
  ammonia: { zh: '氨逃逸', en: 'Ammonia slip' },
  vapour: { zh: '油气回收', en: 'Vapour recovery' },
  ambient: { zh: '空气质量站', en: 'Ambient air station' },
  condition: { zh: '工况监控', en: 'Working-condition monitor' },
  catering: { zh: '餐饮油烟', en: 'Catering fumes' },
  dust: { zh: '施工扬尘', en: 'Construction dust' },
};
