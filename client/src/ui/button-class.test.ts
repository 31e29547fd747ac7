import { describe, expect, it } from 'vitest';
import { buttonClass } from './button-class';

describe('buttonClass (ElButton size="small" as a plain <button>)', () => {
  it.each([
    { name: 'default', look: {}, expected: ['el-button', 'el-button--small'] },
    { name: 'danger', look: { type: 'danger' as const }, expected: ['el-button', 'el-button--small', 'el-button--danger'] },
    {
      name: 'primary, plain',
      look: { type: 'primary' as const, plain: true },
      expected: ['el-button', 'el-button--small', 'el-button--primary', 'is-plain'],
    },
    {
      name: 'default, plain, busy',
      look: { plain: true, loading: true },
      expected: ['el-button', 'el-button--small', 'is-plain', 'is-loading', 'is-disabled'],
    },
  ])('$name', ({ look, expected }) => expect(buttonClass(look)).toEqual(expected));
});
