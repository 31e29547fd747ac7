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

/** Rows rendered beyond the viewport on either side. */
export const OVERSCAN = 6;

/** Rows [start, end) to render for a viewport, with `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = OVERSCAN): VisibleRange {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewport));
  const first = Math.floor(top / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  return { start, end, offset: start * rowHeight, total };
}

export function useVirtualList<T>(
  items: Readonly<Ref<readonly T[]>>,
  el: Readonly<Ref<HTMLElement | null>>,
  rowHeight: number,
  overscan = OVERSCAN,
) {
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
      // No size is read here (in Vue's flush, before the browser laid the page out: a forced layout
      // of the whole page): a new scroller is at the top, and the observer's first call, made after
      // the next layout and before the paint, tells its height.
      scrollTop.value = 0;
      node.addEventListener('scroll', onScroll, { passive: true });
      observer = new ResizeObserver((entries) => {
        const height = entries[entries.length - 1]?.contentRect.height ?? 0;
        if (height > 0) viewport.value = height;
      });
      observer.observe(node);
    },
    { immediate: true, flush: 'post' },
  );
  onBeforeUnmount(() => {
    if (el.value) detach(el.value);
    cancelAnimationFrame(frame);
  });

  const range = computed(() => visibleRange(scrollTop.value, viewport.value, rowHeight, items.value.length, overscan));
  const visible = computed(() => items.value.slice(range.value.start, range.value.end));

  return { range, visible };
}
