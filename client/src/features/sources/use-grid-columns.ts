/**
 * How many columns a card grid of `repeat(auto-fill, minmax(minPx, 1fr))` with `gapPx` gaps and
 * 12 px padding has at the element's width, kept current as it resizes (a windowed grid needs
 * its rows, and so its columns, in script).
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

export const gridColumns = (width: number, minPx: number, gapPx: number, paddingPx = 12): number =>
  Math.max(1, Math.floor((width - 2 * paddingPx + gapPx) / (minPx + gapPx)));

/** The windowed card grid (SourceGrid.vue): cards at least this wide, with these gaps, in rows this high. */
export const CARD_MIN_W = 280;
export const CARD_GAP = 12;
export const CARD_ROW_H = 336;
/** Rows of cards rendered beyond the view either side: two rows are 670 px, a card row costs 5–6 cards. */
export const CARD_OVERSCAN = 2;

/**
 * How many cards, in the grid's order, a windowed grid filling a window of this size renders first
 * (its rows in view and the list's overscan below them); rather more than fewer, the grid being a
 * little narrower and lower than the window.
 */
export const firstScreenCards = (width: number, height: number): number =>
  gridColumns(width, CARD_MIN_W, CARD_GAP) * (Math.ceil(height / CARD_ROW_H) + CARD_OVERSCAN);

export function useGridColumns(el: Readonly<Ref<HTMLElement | null>>, minPx: number, gapPx: number): Ref<number> {
  const columns = ref(4);
  let observer: ResizeObserver | undefined;
  watch(
    el,
    (node) => {
      observer?.disconnect();
      if (!node) return;
      // Measured by the observer's first call (after the next layout, before the paint), not here
      // in Vue's flush, where reading the width forces a layout of the whole page.
      observer = new ResizeObserver((entries) => {
        const width = entries[entries.length - 1]?.contentRect.width ?? 0;
        if (width > 0) columns.value = gridColumns(width, minPx, gapPx);
      });
      observer.observe(node);
    },
    { immediate: true, flush: 'post' },
  );
  onBeforeUnmount(() => observer?.disconnect());
  return columns;
}
