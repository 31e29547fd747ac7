/** Polling for what a test waits on (no fixed sleeps). */

/** Polls `probe` until it returns a value that is not undefined; rejects after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls until `check` holds; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  await eventually(async () => ((await check()) ? true : undefined), what, ms);
}
