/**
 * The power-data import dialog's state (use-file-import.ts): confirm is offered only for the file
 * that was previewed, and only when the preview has rows to land.
 */
import { defineStore } from 'pinia';
import { importPowerFile, type PowerImportResult } from '../../api/power-import';
import { useFileImport } from '../../composables/use-file-import';

export const usePowerImportStore = defineStore('powerImport', () =>
  useFileImport<PowerImportResult>(importPowerFile, (p) => p.accepted > 0),
);
