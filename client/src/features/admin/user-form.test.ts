import { describe, expect, it } from 'vitest';
import { emptyUserDraft, toNewUser, toUserPatch, validateUser, type UserDraft } from './user-form';

const draft = (over: Partial<UserDraft>): UserDraft => ({
  ...emptyUserDraft(),
  username: 'chengguan',
  password: 'correct horse',
  confirm: 'correct horse',
  ...over,
});

describe('the user form: role, enterprise and department', () => {
  it.each<[Partial<UserDraft>, Record<string, string>]>([
    [{ role: 'officer' }, {}],
    [{ role: 'enterprise' }, { enterpriseId: 'required' }],
    [{ role: 'enterprise', enterpriseId: 'qilu-power' }, {}],
    [{ role: 'department' }, { department: 'required' }],
    [{ role: 'department', department: 'urban-management' }, {}],
  ])('%j → %j', (over, errors) => {
    expect(validateUser(draft(over), false)).toEqual(errors);
    expect(validateUser(draft(over), true)).toEqual(errors);
  });

  it('sends the department for, and only for, a department user', () => {
    const dept = draft({ role: 'department', department: 'housing', enterpriseId: 'left-over' });
    expect(toNewUser(dept)).toMatchObject({ role: 'department', department: 'housing', enterpriseId: null });
    expect(toUserPatch(dept)).toEqual({ role: 'department', department: 'housing', enterpriseId: null });
    const officer = draft({ role: 'officer', department: 'housing' });
    expect(toUserPatch(officer)).toEqual({ role: 'officer', department: null, enterpriseId: null });
    expect(toNewUser(draft({ role: 'enterprise', enterpriseId: 'qilu-power', department: 'housing' }))).toMatchObject({
      enterpriseId: 'qilu-power',
      department: null,
    });
  });
});
