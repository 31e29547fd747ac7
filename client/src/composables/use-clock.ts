/** A ticking clock for stores (no component): stops with the effect scope that created it. */
import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue';

export function useClock(intervalMs: number, now: () => number = Date.now): ShallowRef<number> {
  const clock = shallowRef(now());
  const timer = setInterval(() => (clock.value = now()), intervalMs);
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer));
  return clock;
}
