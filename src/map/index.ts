/**
 * The process map: a mined directly-follows graph, filtered by the activity and path sliders,
 * drawn as DOT and laid out as SVG.
 */
export { mapGraphDot, processMapDot } from './map-dot.js';
export {
  buildMapGraph, dropsActivities, keptCount, selectActivities, type MapGraph, type MapNode,
} from './map-graph.js';
export {
  MAP_OPTION_KEYS, MAX_DRAWN_NODES, kDefaultMapOptions, parseMapOptions, resolveMapOptions,
  type MapOptions, type MapStatistic, type MapView,
} from './map-options.js';
export { dotToSvg, graphviz, processMapSvg, projectForMap } from './map-svg.js';
