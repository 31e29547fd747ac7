/**
 * The only place Element Plus is imported from (with its four group files beside it): the
 * components the client uses, each with its own CSS (no full stylesheet, no auto-import plugin),
 * in four groups (element-plus-basic, -select, -overlay, -form) so that a page's chunk carries only
 * the styles of the groups it imports (the wall and the overview, on a province's start path,
 * import their groups directly; importing this file brings all four). The dark theme's variables
 * come with the shell (App.vue). Lazy views import from here, so the parts land in their chunks,
 * not in the first paint.
 */
export * from './element-plus-basic';
export * from './element-plus-form';
export * from './element-plus-overlay';
export * from './element-plus-select';
