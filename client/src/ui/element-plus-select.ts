/**
 * Element Plus, one group of its components (see element-plus.ts): the selects, their options and
 * the windowed select for thousands of options, each with its own CSS.
 */
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/option-group/style/css';
import 'element-plus/es/components/select-v2/style/css';

export { ElOption, ElOptionGroup, ElSelect, ElSelectV2 } from 'element-plus';
