/**
 * Element Plus, one group of its components (see element-plus.ts): forms and the heavier inputs
 * (form layout, numbers, dates, pagination, tabs), each with its own CSS.
 */
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/date-picker/style/css';
import 'element-plus/es/components/pagination/style/css';
import 'element-plus/es/components/tabs/style/css';
import 'element-plus/es/components/tab-pane/style/css';

export { ElDatePicker, ElForm, ElFormItem, ElInputNumber, ElPagination, ElTabPane, ElTabs } from 'element-plus';
