/**
 * Element Plus, one group of its components (see element-plus.ts): the plain controls (buttons,
 * text inputs, switches, radio and check boxes, tags, the empty state), each with its own CSS.
 */
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/switch/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/checkbox/style/css';
import 'element-plus/es/components/checkbox-group/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/empty/style/css';

export { ElButton, ElCheckbox, ElCheckboxGroup, ElEmpty, ElInput, ElRadioButton, ElRadioGroup, ElSwitch, ElTag } from 'element-plus';
