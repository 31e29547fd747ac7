/**
 * Element Plus, one group of components (see element-plus.ts): what opens over the page: dialogs, drawers, tooltips.
 * Each component with its own CSS: a page carries the styles of the groups it imports only.
 */
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/drawer/style/css';
import 'element-plus/es/components/tooltip/style/css';

export { ElDialog, ElDrawer, ElTooltip } from 'element-plus';
