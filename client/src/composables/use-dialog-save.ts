/**
 * What every form dialog does when its save button is pressed: checks the form's own problems
 * first (each shown by its field once submitted or left), sends, stays busy meanwhile, closes on
 * success, and on a refusal shows the server's reason in the user's words by the field it is about
 * and under the form. The dialog keeps its draft and its fields; this keeps the rest.
 */
import { computed, reactive, ref } from 'vue';
import { ApiError } from '../api/rest';

/** A refusal in the user's words, and the form field it is about (null: the form as a whole). */
export interface Refusal {
  field: string | null;
  message: string;
}

/** How a form reads a refusal. */
export interface RefusalRules {
  /** Any failure in words (the server's code in the user's language, never its English text). */
  words: (err: unknown) => string;
  /** The form field a refusal's issue path names; without it a refusal shows under the form only. */
  fieldOf?: (path: readonly (string | number)[] | null) => string | null;
  /** A 409 (it already exists) in the form's own words, by its field. */
  conflict?: Refusal | null;
}

/** The path of the first zod issue of a refusal (`['industry', 'code']`), else its field, else null. */
export function issuePath(err: unknown): (string | number)[] | null {
  if (!(err instanceof ApiError)) return null;
  const path = (err.body as { issues?: { path?: unknown }[] } | null)?.issues?.[0]?.path;
  if (Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number')) return path;
  return err.field ? [err.field] : null;
}

/** A path's first element when it names a field (`['mn']` → 'mn'). */
export const firstField = (path: readonly (string | number)[] | null): string | null => (typeof path?.[0] === 'string' ? path[0] : null);

/** A failed save in words, with the field it is about. */
export function refusalOf(err: unknown, rules: RefusalRules): Refusal {
  if (rules.conflict && err instanceof ApiError && err.status === 409) return rules.conflict;
  return { field: rules.fieldOf ? rules.fieldOf(issuePath(err)) : null, message: rules.words(err) };
}

export interface DialogSaveOptions {
  /** The form's own problems, field → message key (`form`: the form as a whole); nothing is sent while there are any. */
  problems: () => Readonly<Record<string, string | undefined>>;
  /** A problem's message key in words. */
  words: (key: string) => string;
  /** Sends the form; resolves once the change is made (and told: a toast, an emitted event). */
  send: () => Promise<void>;
  /** Closes the dialog after a successful send. */
  close: () => void;
  /** A failed send in words, with its field (usually `refusalOf(err, rules)`). */
  refusal: (err: unknown) => Refusal;
  /** False while there is nothing to send (no user chosen); default: always ready. */
  ready?: () => boolean;
}

export function useDialogSave(options: DialogSaveOptions) {
  const busy = ref(false);
  const submitted = ref(false);
  const refusal = ref<Refusal | null>(null);
  const touched = reactive(new Set<string>());
  const problems = computed(() => options.problems());

  /** Whether a field's own problem is shown yet: once submitted, or once the user has left it. */
  const shown = (field: string): boolean => submitted.value || touched.has(field);
  /** What to show by a field: its own problem, else the refusal about it, else nothing. */
  function fieldError(field: string): string {
    const key = problems.value[field];
    if (key && shown(field)) return options.words(key);
    return refusal.value?.field === field ? refusal.value.message : '';
  }
  /** What to show under the form: the refusal, else a form-wide problem once submitted. */
  const general = computed(() => {
    if (refusal.value) return refusal.value.message;
    const form = problems.value['form'];
    return submitted.value && form ? options.words(form) : '';
  });

  const touch = (field: string): void => void touched.add(field);
  /** Drops the refusal about a field (the user is changing it). */
  function forget(field: string): void {
    if (refusal.value?.field === field) refusal.value = null;
  }
  /** A fresh start, as the dialog opens. */
  function reset(): void {
    touched.clear();
    submitted.value = false;
    refusal.value = null;
  }

  /** Saves; true when sent and closed. */
  async function save(): Promise<boolean> {
    submitted.value = true;
    if (busy.value || (options.ready && !options.ready()) || Object.keys(problems.value).length > 0) return false;
    busy.value = true;
    refusal.value = null;
    try {
      await options.send();
    } catch (err) {
      refusal.value = options.refusal(err);
      return false;
    } finally {
      busy.value = false;
    }
    options.close();
    return true;
  }

  return { busy, submitted, refusal, shown, fieldError, general, touch, forget, reset, save };
}
