/**
 * Owns one chart's life: init when the element mounts, setOption whenever the option changes,
 * resize with the element, dispose on unmount. Components only describe the option.
 */
import { markRaw, onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { type Chart, type ChartOption, init } from './echarts';

export function useChart(el: Readonly<Ref<HTMLElement | null>>, option: () => ChartOption): void {
  let chart: Chart | undefined;
  let observer: ResizeObserver | undefined;

  onMounted(() => {
    if (!el.value) return;
    chart = markRaw(init(el.value, undefined, { renderer: 'canvas' }));
    chart.setOption(option());
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(el.value);
  });

  // Series are replaced wholesale; `lazyUpdate` coalesces several changes into one frame.
  watch(option, (next) => chart?.setOption(next, { replaceMerge: ['series'], lazyUpdate: true }));

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart?.dispose();
    chart = undefined;
  });
}
