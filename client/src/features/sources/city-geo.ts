/**
 * The city's districts as an ECharts geo component, shared by the maps that draw points on them
 * (the sources overview, the air-quality stations): registered once under one name, drawn and
 * labelled in the theme's colours, not themselves interactive.
 */
import { type CityMap, districtsAt } from '@domain/city-map';
import { type ChartOption, registerMap } from '../../charts/echarts';

const MAP_NAME = 'o3s-city';

/** Registers the boundary under the one name (once per chart component; the same for every map). */
export function registerCityMap(map: CityMap): void {
  registerMap(MAP_NAME, map.boundary as Parameters<typeof registerMap>[1]);
}

/**
 * The geo component drawing the registered districts, around the configured centre; a centre in no
 * district (a view meant for another boundary file) would show empty ground: the whole boundary then.
 */
export function cityGeo(map: CityMap, dark: boolean): NonNullable<ChartOption['geo']> {
  const center = map.center && districtsAt(map.center[0], map.center[1], map.boundary).length > 0 ? map.center : null;
  return {
    map: MAP_NAME,
    roam: true,
    zoom: center || !map.center ? map.zoom : 1,
    ...(center ? { center } : {}),
    label: { show: true, color: dark ? '#9fb3d1' : '#51627d', fontSize: 12 },
    itemStyle: { areaColor: dark ? '#16213a' : '#eef3fa', borderColor: dark ? '#5b9cff' : '#7a93b8', borderWidth: 1.2 },
    emphasis: { disabled: true },
    // Series on the geo inherit this: each sets `tooltip: { show: true }` for its own points.
    tooltip: { show: false },
  };
}
