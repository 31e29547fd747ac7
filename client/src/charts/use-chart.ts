/**
 * Owns one chart's life: init when the element mounts, setOption whenever the option changes,
 * resize with the element, dispose on unmount. Components only describe the option (and may
 * listen to the chart's events through `on`).
 */
import { markRaw, onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { type Chart, type ChartOption, init } from './echarts';

export interface ChartHooks {
  /** Called once the chart exists, e.g. to bind `click`. */
  ready?: (chart: Chart) => void;
  /** Theme name ('dark') or undefined; a change re-creates the chart. */
  theme?: () => string | undefined;
}

export function useChart(el: Readonly<Ref<HTMLElement | null>>, option: () => ChartOption, hooks: ChartHooks = {}): void {
  let chart: Chart | undefined;
  let observer: ResizeObserver | undefined;

  function create(): void {
    if (!el.value) return;
    chart?.dispose();
    chart = markRaw(init(el.value, hooks.theme?.(), { renderer: 'canvas' }));
    chart.setOption(option());
    hooks.ready?.(chart);
  }

  onMounted(() => {
    create();
    if (!el.value) return;
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(el.value);
  });

  // Series are replaced wholesale; `lazyUpdate` coalesces several changes into one frame.
  watch(option, (next) => chart?.setOption(next, { replaceMerge: ['series'], lazyUpdate: true }));
  if (hooks.theme) watch(hooks.theme, () => create());

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart?.dispose();
    chart = undefined;
  });
}
