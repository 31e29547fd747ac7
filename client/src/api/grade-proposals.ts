/**
 * Grade downgrade proposals over REST (issue 18; shapes from server/domain/grade-downgrade.ts): the
 * bureau's duty room lists them with their evidence and confirms or dismisses each.
 */
import { GRADE_PROPOSAL_STATUSES, type GradeProposal, type GradeProposalStatus } from '@domain/grade-downgrade';
import { GRADES } from '@domain/registry';
import { isAnswer, isItems, isNum, isNumOrNull, isObj, isStr, oneOf } from './guard-kit';
import { requestJson } from './rest';

type Fetch = typeof fetch;

export const isGradeProposal = (v: unknown): v is GradeProposal =>
  isObj(v) &&
  isNum(v['id']) &&
  isStr(v['enterpriseId']) &&
  isStr(v['enterpriseName']) &&
  oneOf(GRADES)(v['fromGrade']) &&
  oneOf(GRADES)(v['toGrade']) &&
  oneOf(GRADE_PROPOSAL_STATUSES)(v['status']) &&
  isNum(v['proposedAt']) &&
  Array.isArray(v['responseIds']) &&
  Array.isArray(v['evidence']) &&
  v['evidence'].every((e) => isObj(e) && isNum(e['alertId']) && isStr(e['mn']) && isNum(e['openedAt'])) &&
  isNumOrNull(v['decidedAt']);

export async function fetchGradeProposals(status?: GradeProposalStatus, fetchFn: Fetch = fetch): Promise<GradeProposal[]> {
  const qs = status ? `?status=${status}` : '';
  return (await requestJson('GET', `/api/grade-proposals${qs}`, isItems(isGradeProposal), undefined, fetchFn)).items;
}

export async function confirmGradeProposal(id: number, note: string, fetchFn: Fetch = fetch): Promise<GradeProposal> {
  const body = note.trim() ? { note: note.trim() } : {};
  return (await requestJson('POST', `/api/grade-proposals/${id}/confirm`, isAnswer('proposal', isGradeProposal), body, fetchFn)).proposal;
}

export async function dismissGradeProposal(id: number, reason: string, fetchFn: Fetch = fetch): Promise<GradeProposal> {
  const body = { reason: reason.trim() };
  return (await requestJson('POST', `/api/grade-proposals/${id}/dismiss`, isAnswer('proposal', isGradeProposal), body, fetchFn)).proposal;
}
