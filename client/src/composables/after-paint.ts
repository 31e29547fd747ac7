/**
 * Work a page can do after its first content is on screen (the wall's filter selects): run once
 * the frame showing that content has been painted and the browser has an idle moment (at most
 * `timeoutMs` later), so the first rows are not held up by what the user reaches for second.
 */
import { getCurrentInstance, onBeforeUnmount, ref, watch, type Ref } from 'vue';

export interface Schedulers {
  /** Before the next paint (requestAnimationFrame). */
  frame: (fn: () => void) => void;
  /** At an idle moment, at most `timeout` ms later (requestIdleCallback; absent: a task). */
  idle: (fn: () => void, timeout: number) => void;
}

function browserSchedulers(): Schedulers {
  const idle = globalThis.requestIdleCallback as ((fn: () => void, o: { timeout: number }) => number) | undefined;
  return {
    frame: (fn) => (globalThis.requestAnimationFrame ? globalThis.requestAnimationFrame(fn) : setTimeout(fn, 16)),
    idle: (fn, timeout) => (idle ? idle(fn, { timeout }) : setTimeout(fn, 0)),
  };
}

/** `fn` after the current frame's paint (the callback of the frame after it) and then an idle moment. */
export function afterPaint(fn: () => void, timeoutMs = 500, s: Schedulers = browserSchedulers()): void {
  s.frame(() => s.frame(() => s.idle(fn, timeoutMs)));
}

/**
 * Becomes true (and stays) once `ready()` has held and that frame was painted (`afterPaint`).
 * Used in a component's setup; nothing happens after it is unmounted.
 */
export function usePaintedAfter(ready: () => boolean, timeoutMs = 500, s?: Schedulers): Readonly<Ref<boolean>> {
  const done = ref(false);
  let gone = false;
  let started = false;
  if (getCurrentInstance()) onBeforeUnmount(() => (gone = true));
  const stop = watch(
    ready,
    (ok) => {
      if (!ok || started) return;
      started = true;
      queueMicrotask(() => stop());
      afterPaint(() => void (gone || (done.value = true)), timeoutMs, s);
    },
    { immediate: true, flush: 'post' },
  );
  return done;
}
