/**
 * Pre-notices (预通知), acknowledgements (已知悉) of warning notices and the effect reports of lifted
 * warnings, as the user may see them: the pre-notices over REST and live (`prenotice:changed`), who
 * acknowledged each warning's notice (REST, then `warning:acknowledged`), the forecast outlook for
 * the centre, and the effect reports it opened.
 */
import type { NoticeRecipient, PreNotice, PreNoticeProposal } from '@domain/prenotice';
import type { WarningEffect } from '@domain/warning-effect';
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef } from 'vue';
import {
  acknowledgePreNotice,
  acknowledgeWarning,
  fetchAcknowledgements,
  fetchEffect,
  fetchPreNoticeProposal,
  fetchPreNotices,
  issuePreNotice,
  type PreNoticeRequest,
} from '../api/warning-notices';

type Fetch = typeof fetch;

export const useWarningNoticesStore = defineStore('warning-notices', () => {
  const byId = shallowReactive(new Map<number, PreNotice>());
  /** Per warning id: the recipients of its notice (an enterprise: its own entry). */
  const acks = shallowReactive(new Map<number, NoticeRecipient[]>());
  const effects = shallowReactive(new Map<number, WarningEffect>());
  const proposal = shallowRef<PreNoticeProposal | null>(null);

  /** Newest first. */
  const preNotices = computed(() => [...byId.values()].sort((a, b) => b.id - a.id));

  function applyPreNotice(p: PreNotice): void {
    byId.set(p.id, p);
  }

  /** One enterprise's acknowledgement of a warning's notice: replaces its entry (or adds it). */
  function applyAck(warningId: number, r: NoticeRecipient): void {
    const list = acks.get(warningId) ?? [];
    const at = list.findIndex((x) => x.enterpriseId === r.enterpriseId);
    acks.set(warningId, at < 0 ? [...list, r] : list.map((x, i) => (i === at ? r : x)));
  }

  async function load(fetchFn: Fetch = fetch): Promise<void> {
    for (const p of await fetchPreNotices(fetchFn)) applyPreNotice(p);
  }

  async function loadProposal(fetchFn: Fetch = fetch): Promise<void> {
    proposal.value = await fetchPreNoticeProposal(fetchFn);
  }

  async function issue(req: PreNoticeRequest, fetchFn: Fetch = fetch): Promise<PreNotice> {
    const p = await issuePreNotice(req, fetchFn);
    applyPreNotice(p);
    return p;
  }

  async function acknowledge(id: number, fetchFn: Fetch = fetch): Promise<void> {
    applyPreNotice(await acknowledgePreNotice(id, fetchFn));
  }

  async function acknowledgeWarningNotice(warningId: number, fetchFn: Fetch = fetch): Promise<void> {
    applyAck(warningId, await acknowledgeWarning(warningId, fetchFn));
  }

  async function loadAcks(warningId: number, fetchFn: Fetch = fetch): Promise<void> {
    acks.set(warningId, await fetchAcknowledgements(warningId, fetchFn));
  }

  async function loadEffect(warningId: number, fetchFn: Fetch = fetch): Promise<WarningEffect> {
    const e = await fetchEffect(warningId, fetchFn);
    effects.set(warningId, e);
    return e;
  }

  return {
    preNotices,
    acks,
    effects,
    proposal,
    applyPreNotice,
    applyAck,
    load,
    loadProposal,
    issue,
    acknowledge,
    acknowledgeWarningNotice,
    loadAcks,
    loadEffect,
  };
});
