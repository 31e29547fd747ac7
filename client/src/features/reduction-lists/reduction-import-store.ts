/**
 * The reduction-list import dialog's state (use-file-import.ts): confirm is offered only for the
 * file that was previewed, and only when the preview has a list to file.
 */
import { defineStore } from 'pinia';
import { importReductionFile, type ReductionImportResult } from '../../api/reduction-lists';
import { useFileImport } from '../../composables/use-file-import';

export const useReductionImportStore = defineStore('reductionImport', () =>
  useFileImport<ReductionImportResult>(importReductionFile, (p) => p.lists.length > 0),
);
