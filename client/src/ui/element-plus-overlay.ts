/**
 * Element Plus, one group of its components (see element-plus.ts): what opens over the page
 * (dialogs, drawers, tooltips), each with its own CSS.
 */
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/drawer/style/css';
import 'element-plus/es/components/tooltip/style/css';

export { ElDialog, ElDrawer, ElTooltip } from 'element-plus';
