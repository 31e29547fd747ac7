/**
 * The registry import panel's state (use-file-import.ts): the applied result carries the new
 * loggers' credentials, shown once and never fetched again. Apply is offered only for the file
 * that was previewed, and only when the preview would change something and is not blocked.
 */
import { defineStore } from 'pinia';
import { importRegistryFile, type ImportResult, type IssuedCredentials } from '../../api/registry-io';
import { useFileImport } from '../../composables/use-file-import';

/** How many records a result adds or changes. */
export const changesOf = (r: ImportResult): number =>
  [r.summary.enterprises, r.summary.sources, r.summary.facilities].reduce((n, t) => n + t.added + t.changed, 0);

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The issued credentials as a CSV download (UTF-8 with BOM so Excel reads the Chinese). */
export function credentialsCsv(list: readonly IssuedCredentials[], header: readonly string[]): string {
  const rows = list.map((c) => [c.mn, c.enterpriseId, c.name, c.pw, c.mqttPassword].map(csvCell).join(','));
  return `\uFEFF${[header.map(csvCell).join(','), ...rows].join('\r\n')}\r\n`;
}

export const useRegistryImportStore = defineStore('registryImport', () =>
  useFileImport<ImportResult>(importRegistryFile, (p) => !p.blocked && changesOf(p) > 0),
);
