/** A clock that ticks while the component lives, for "no report for N minutes" hints. */
import { onBeforeUnmount, onMounted, shallowRef, type ShallowRef } from 'vue';

export function useNow(intervalMs = 10_000): ShallowRef<number> {
  const now = shallowRef(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
