// ESLint (`npm run lint`, run by .ci/run before the tests): typescript-eslint `strict` on every
// TypeScript file and eslint-plugin-vue's recommended rules on the dashboard's components.
// Not type-checked: typed linting (strictTypeChecked) took over 5 minutes on the 2-core CI machine,
// against well under a minute for this; `tsc` and `vue-tsc` check the types already.
// No formatting rules: Prettier owns the layout (eslint-config-prettier switches the rest off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import vue from 'eslint-plugin-vue';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/', 'tests/artifacts/', 'bench/results/', 'data/']),
  {
    files: ['**/*.{ts,vue}'],
    extends: [js.configs.recommended, tseslint.configs.strict],
    rules: {
      // With noUncheckedIndexedAccess, `list[i]!` after a length or `has()` check is the idiom (over 200 of them).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Records keyed by factor code or id stay plain objects on purpose: JSON state snapshots, Vue reactive state.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // `const { pw: _pw, ...rest } = source` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.vue'],
    extends: [vue.configs['flat/recommended']],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  { files: ['client/src/**'], languageOptions: { globals: globals.browser } },
  { files: ['server/**', 'simulators/**', 'scripts/**', 'bench/**', 'tests/**', '*.ts'], languageOptions: { globals: globals.node } },
  prettier,
  {
    // After eslint-config-prettier on purpose: Prettier wraps code at 140 but not comments; long strings may stay.
    files: ['**/*.{ts,vue}'],
    rules: {
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
);
