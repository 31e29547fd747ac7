import { DEFAULT_ESCALATION, DEFAULT_SUBSCRIPTION } from '@domain/duty';
import { describe, expect, it } from 'vitest';
import { formOf, nextStep, QUIET_TIMES, settingsOf, settingsProblems, stepsInOrder } from './duty-form';

const base = formOf({ contacts: { email: null, phone: null }, subscription: DEFAULT_SUBSCRIPTION });

describe('the notification settings form', () => {
  it('reads a person’s settings and gives them back as typed, a phone with +86 and dashes as 11 digits', () => {
    const form = {
      ...base,
      email: ' wang@sthj.example.cn ',
      phone: '+86 138-0013-8000',
      quiet: true,
      quietFrom: '22:00',
      quietTo: '07:00',
    };
    expect(settingsOf(form)).toEqual({
      contacts: { email: 'wang@sthj.example.cn', phone: '13800138000' },
      subscription: { ...DEFAULT_SUBSCRIPTION, quietHours: { from: '22:00', to: '07:00' } },
    });
    expect(formOf(settingsOf(form))).toMatchObject({ email: 'wang@sthj.example.cn', phone: '13800138000', quiet: true });
    expect(settingsOf({ ...form, email: '', phone: '', quiet: false })).toMatchObject({
      contacts: { email: null, phone: null },
      subscription: { quietHours: null },
    });
  });

  it.each([
    [{ email: 'nope' }, { email: 'email' }],
    [{ phone: '12345' }, { phone: 'phone' }],
    [{ subscription: { ...base.subscription, channels: [] } }, { channels: 'channel' }],
    [{ email: 'a@b.cn', phone: '13800138000' }, {}],
  ])('%j → problems %j', (over, problems) => {
    expect(settingsProblems({ ...base, ...over })).toEqual(problems);
  });

  it('offers every half hour for quiet hours', () => {
    expect(QUIET_TIMES).toHaveLength(48);
    expect([QUIET_TIMES[0], QUIET_TIMES[15], QUIET_TIMES.at(-1)]).toEqual(['00:00', '07:30', '23:30']);
  });
});

describe('the escalation steps', () => {
  it('must come in order; a new step comes 15 min after the last', () => {
    expect(stepsInOrder(DEFAULT_ESCALATION.steps)).toBe(true);
    expect(stepsInOrder([...DEFAULT_ESCALATION.steps].reverse())).toBe(false);
    expect(nextStep(DEFAULT_ESCALATION.steps)).toEqual({ afterMin: 45, to: { kind: 'position', position: 'backup' } });
    expect(nextStep([])).toMatchObject({ afterMin: 15 });
  });
});
