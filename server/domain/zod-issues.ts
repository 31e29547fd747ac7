/**
 * One way to turn zod issues into text for people: `where: message`, where `where` is the issue's
 * path joined with dots (`factors.a21026.rtd`). Used by the HTTP error middleware, the config
 * loader, the stores, the district boundary check and the command-line scripts, so every refusal reads the same.
 */

/** The part of a zod issue the text needs (zod's own `ZodError['issues'][number]` fits). */
export interface ZodIssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface ZodIssueText {
  /** Names an issue about the whole input (an empty path), e.g. `request`; default: nothing. */
  root?: string;
  /** Goes before the path, joined with `: ` (a file name: `config.yaml: hj212.port: …`). */
  prefix?: string;
}

/** Where an issue sits: its path joined with dots, or `root` when it is about the whole input. */
export const zodIssuePath = (issue: ZodIssueLike, root = ''): string => issue.path.map(String).join('.') || root;

/** One `where: message` line per issue; an issue with nowhere to name (no path, root or prefix) is its message alone. */
export const zodIssueLines = (error: { readonly issues: readonly ZodIssueLike[] }, text: ZodIssueText = {}): string[] =>
  error.issues.map((i) => [text.prefix ?? '', zodIssuePath(i, text.root), i.message].filter(Boolean).join(': '));

/** Every issue on one line, separated by `; ` (an HTTP 400 message, a rejection's detail). */
export const formatZodIssues = (error: { readonly issues: readonly ZodIssueLike[] }, text: ZodIssueText = {}): string =>
  zodIssueLines(error, text).join('; ');
