/**
 * A windowed list: only the rows in (and just around) the viewport are rendered, so 10,000 alerts
 * scroll smoothly. Rows have a fixed height; the spacer keeps the scrollbar true to the whole list.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';

export interface VisibleRange {
  start: number;
  end: number;
  /** Pixels above the first rendered row. */
  offset: number;
  /** Height of the whole list. */
  total: number;
}

/** Rows [start, end) to render for a viewport, with `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 6): VisibleRange {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewport));
  const first = Math.floor(top / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  return { start, end, offset: start * rowHeight, total };
}

export function useVirtualList<T>(items: Readonly<Ref<readonly T[]>>, el: Readonly<Ref<HTMLElement | null>>, rowHeight: number) {
  const scrollTop = ref(0);
  const viewport = ref(600);
  let observer: ResizeObserver | undefined;
  let frame = 0;

  const onScroll = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      scrollTop.value = el.value?.scrollTop ?? 0;
    });
  };

  // The scroller may appear after mounting (a list shown once it has rows): follow the element.
  const detach = (node: HTMLElement) => {
    node.removeEventListener('scroll', onScroll);
    observer?.disconnect();
  };
  watch(
    el,
    (node, previous) => {
      if (previous) detach(previous);
      if (!node) return;
      viewport.value = node.clientHeight || 600;
      scrollTop.value = node.scrollTop;
      node.addEventListener('scroll', onScroll, { passive: true });
      observer = new ResizeObserver(() => (viewport.value = node.clientHeight || viewport.value));
      observer.observe(node);
    },
    { immediate: true, flush: 'post' },
  );
  onBeforeUnmount(() => {
    if (el.value) detach(el.value);
    cancelAnimationFrame(frame);
  });

  const range = computed(() => visibleRange(scrollTop.value, viewport.value, rowHeight, items.value.length));
  const visible = computed(() => items.value.slice(range.value.start, range.value.end));

  return { range, visible };
}
