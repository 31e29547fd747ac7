/**
 * How many columns a card grid of `repeat(auto-fill, minmax(minPx, 1fr))` with `gapPx` gaps and
 * 12 px padding has at the element's width, kept current as it resizes (a windowed grid needs
 * its rows, and so its columns, in script).
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

export const gridColumns = (width: number, minPx: number, gapPx: number, paddingPx = 12): number =>
  Math.max(1, Math.floor((width - 2 * paddingPx + gapPx) / (minPx + gapPx)));

export function useGridColumns(el: Readonly<Ref<HTMLElement | null>>, minPx: number, gapPx: number): Ref<number> {
  const columns = ref(4);
  let observer: ResizeObserver | undefined;
  watch(
    el,
    (node) => {
      observer?.disconnect();
      if (!node) return;
      const measure = () => (columns.value = gridColumns(node.clientWidth, minPx, gapPx));
      measure();
      observer = new ResizeObserver(measure);
      observer.observe(node);
    },
    { immediate: true, flush: 'post' },
  );
  onBeforeUnmount(() => observer?.disconnect());
  return columns;
}
