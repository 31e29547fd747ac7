import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_AUDIT_ACTIONS,
  API_TOKEN_AUDIT_ACTIONS,
  AUDIT_ACTION_PATTERN,
  AUDIT_ACTIONS,
  CASE_AUDIT_ACTIONS,
  DUTY_AUDIT_ACTIONS,
  FACILITY_RECORD_AUDIT_ACTIONS,
  isAuditAction,
  NOTIFY_AUDIT_ACTIONS,
  POWER_AUDIT_ACTIONS,
  REDUCTION_AUDIT_ACTIONS,
  REGISTRY_AUDIT_ACTIONS,
  REQUEST_AUDIT_ACTIONS,
} from './audit';

describe('audit action vocabulary', () => {
  it('is the registry, notification, duty, case, account, API token and request actions, each once, each a valid action name', () => {
    expect(AUDIT_ACTIONS).toHaveLength(
      REGISTRY_AUDIT_ACTIONS.length +
        POWER_AUDIT_ACTIONS.length +
        REDUCTION_AUDIT_ACTIONS.length +
        NOTIFY_AUDIT_ACTIONS.length +
        DUTY_AUDIT_ACTIONS.length +
        FACILITY_RECORD_AUDIT_ACTIONS.length +
        CASE_AUDIT_ACTIONS.length +
        ACCOUNT_AUDIT_ACTIONS.length +
        API_TOKEN_AUDIT_ACTIONS.length +
        REQUEST_AUDIT_ACTIONS.length,
    );
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(AUDIT_ACTIONS.filter((a) => !AUDIT_ACTION_PATTERN.test(a))).toEqual([]);
  });

  it.each([
    ['login', true],
    ['registry.grade_changed', true],
    ['api_change', true],
    ['api_token.refused', true],
    ['duty.shift_created', true],
    ['records.plan_filed', true],
    ['reductions.list_filed', true],
    ['case.closed', true],
    ['campaign_started', false],
    ['registry.', false],
    ['', false],
  ])('%s is known: %s', (action, known) => {
    expect(isAuditAction(action)).toBe(known);
  });
});
