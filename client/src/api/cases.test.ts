import { describe, expect, it } from 'vitest';
import { casesPath, ledgerPath } from './cases';

describe('case paths', () => {
  it('carries only the filters set', () => {
    expect(casesPath({ status: 'open', overdue: true, limit: 20, offset: 40 })).toBe(
      '/api/cases?status=open&overdue=true&limit=20&offset=40',
    );
    expect(ledgerPath({ type: 'outage', district: '淄川区', limit: 20, offset: 40 } as never)).toBe(
      '/api/cases/ledger?format=xlsx&type=outage&district=%E6%B7%84%E5%B7%9D%E5%8C%BA',
    );
  });
});
