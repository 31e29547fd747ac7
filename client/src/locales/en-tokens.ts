import type { tokensZhCN } from './zh-CN-tokens';

/** English: the API tokens page (admin.tokens). */
export const tokensEn: typeof tokensZhCN = {
  title: 'API tokens',
  intro:
    'For other systems and scripts calling the API (header Authorization: Bearer <token>) without a browser sign-in. A token is shown once, when created; it stops working at once when it expires or is revoked.',
  add: 'New token',
  empty: 'No API tokens yet',
  col: {
    name: 'Name',
    scope: 'Access',
    tenant: 'Data',
    shown: 'Starts with',
    createdBy: 'Created by',
    created: 'Created',
    expires: 'Expires',
    lastUsed: 'Last used',
    state: 'State',
  },
  scope: { read: 'Read only', write: 'Read and write' },
  state: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
  bureau: 'All enterprises',
  never: 'Never',
  revoke: 'Revoke',
  revokeConfirm: 'Revoke the token "{name}"? Systems using it lose access at once.',
  revoked: 'Token revoked',
  form: {
    title: 'New API token',
    name: 'Name (purpose or caller)',
    scope: 'Access',
    scopeHint: 'A read-only token can only query; a read-and-write token can also act (acknowledge alerts…)',
    tenant: 'Data',
    expires: 'Valid for',
    days: '{n} days',
    create: 'Create',
    nameRequired: 'A name is required',
  },
  once: {
    title: 'Token created: {name}',
    warning: 'Copy it now and keep it safe. It cannot be shown again; if lost, revoke it and create another.',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'No clipboard access: select the token and copy it by hand',
    done: 'I have saved it',
  },
};
