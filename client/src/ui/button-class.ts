/**
 * Element Plus's small button as a plain <button> (its own classes; the styles come with the basic
 * group, element-plus-basic.ts, which the user imports): for the actions of every row of a long
 * list (the wall: five per row), where an ElButton component per action cost more to mount and
 * patch than the rest of the row.
 */

export interface ButtonLook {
  type?: 'primary' | 'danger' | 'default';
  plain?: boolean;
  /** Busy: masked and not clickable (the element is disabled too). */
  loading?: boolean;
}

/** The classes ElButton gives a small button of this look. */
export function buttonClass({ type = 'default', plain = false, loading = false }: ButtonLook): string[] {
  return [
    'el-button',
    'el-button--small',
    ...(type === 'default' ? [] : [`el-button--${type}`]),
    ...(plain ? ['is-plain'] : []),
    ...(loading ? ['is-loading', 'is-disabled'] : []),
  ];
}
