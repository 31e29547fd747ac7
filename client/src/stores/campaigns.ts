/**
 * Special-control campaigns as the user may see them (the server scopes an enterprise to those
 * affecting it, with its own notice only): the list, each campaign's notices and compliance once
 * its detail was opened, and the measure templates. `campaign:changed` / `campaign:notice` keep it
 * live; after a reconnect (the events are not numbered) whatever was loaded is fetched again.
 */
import type { Campaign, CampaignCompliance, CampaignNotice } from '@domain/campaign';
import type { CampaignNoticeEvent } from '@domain/events';
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';
import {
  acknowledgeCampaign,
  type CampaignAction,
  campaignAction,
  type CampaignReport,
  type CampaignRequest,
  createCampaign,
  fetchCampaign,
  fetchCampaignReport,
  fetchCampaigns,
  fetchMeasureTemplates,
  type MeasureTemplate,
} from '../api/campaigns';

type Fetch = typeof fetch;

/** Replaces the notice of the same enterprise, or adds it. */
export function upsertNotice(list: readonly CampaignNotice[], n: CampaignNotice): CampaignNotice[] {
  const rest = list.filter((x) => x.enterpriseId !== n.enterpriseId);
  return [...rest, n].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId));
}

/** A campaign event may be older than what is shown (a REST answer raced it): keep the newer. */
const rank = { draft: 0, active: 1, ended: 2, cancelled: 2 } as const;
export const isNewer = (incoming: Campaign, shown: Campaign | undefined): boolean => !shown || rank[incoming.state] >= rank[shown.state];

export const useCampaignsStore = defineStore('campaigns', () => {
  const byId = shallowReactive(new Map<number, Campaign>());
  const notices = shallowReactive(new Map<number, CampaignNotice[]>());
  const compliance = shallowReactive(new Map<number, CampaignCompliance | null>());
  const reports = shallowReactive(new Map<number, CampaignReport>());
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const templates = shallowRef<MeasureTemplate[]>([]);
  /** False when the server offers no template list and the shipped defaults are shown. */
  const templatesFromServer = ref(true);

  /** Newest first. */
  const list = computed(() => [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id));
  const active = computed(() => list.value.filter((c) => c.state === 'active'));

  function apply(c: Campaign): void {
    if (isNewer(c, byId.get(c.id))) byId.set(c.id, c);
  }

  function applyNotice(e: CampaignNoticeEvent): void {
    apply(e.campaign);
    notices.set(e.campaign.id, upsertNotice(notices.get(e.campaign.id) ?? [], e.notice));
  }

  async function load(fetchFn?: Fetch): Promise<void> {
    try {
      const items = await fetchCampaigns(undefined, fetchFn);
      byId.clear();
      for (const c of items) byId.set(c.id, c);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }

  /** The campaign with its notices and compliance (an enterprise: its own only). */
  async function loadDetail(id: number, fetchFn?: Fetch): Promise<void> {
    const d = await fetchCampaign(id, fetchFn);
    byId.set(d.campaign.id, d.campaign);
    notices.set(
      id,
      [...d.notices].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId)),
    );
    compliance.set(id, d.compliance);
  }

  async function loadReport(id: number, fetchFn?: Fetch): Promise<CampaignReport> {
    const r = await fetchCampaignReport(id, fetchFn);
    reports.set(id, r);
    return r;
  }

  /** The list and the details of the active campaigns (an enterprise's notices come with them). */
  async function loadWithActiveDetails(fetchFn?: Fetch): Promise<void> {
    await load(fetchFn);
    await Promise.allSettled(active.value.map((c) => loadDetail(c.id, fetchFn)));
  }

  /** After a reconnect: fetch again what was loaded, since the events missed meanwhile are lost. */
  async function resync(fetchFn?: Fetch): Promise<void> {
    if (!loaded.value) return;
    const detailed = [...notices.keys()];
    await load(fetchFn);
    await Promise.allSettled(detailed.map((id) => loadDetail(id, fetchFn)));
  }

  async function loadTemplates(fetchFn?: Fetch): Promise<void> {
    if (templates.value.length > 0) return;
    const t = await fetchMeasureTemplates(fetchFn);
    templates.value = t.items;
    templatesFromServer.value = t.fromServer;
  }

  async function create(req: CampaignRequest, fetchFn?: Fetch): Promise<Campaign> {
    const c = await createCampaign(req, fetchFn);
    apply(c);
    return c;
  }

  async function act(id: number, action: CampaignAction, fetchFn?: Fetch): Promise<Campaign> {
    const c = await campaignAction(id, action, fetchFn);
    apply(c);
    // Activation sends the notices; fetch them rather than wait for each event. The action itself
    // succeeded: a failed refetch only leaves the detail to the live events.
    await loadDetail(id, fetchFn).catch((err: unknown) => console.warn('[campaigns] detail refetch failed', err));
    return c;
  }

  async function acknowledge(id: number, note?: string, fetchFn?: Fetch): Promise<CampaignNotice> {
    const n = await acknowledgeCampaign(id, note, fetchFn);
    notices.set(id, upsertNotice(notices.get(id) ?? [], n));
    return n;
  }

  return {
    byId,
    notices,
    compliance,
    reports,
    loaded,
    error,
    templates,
    templatesFromServer,
    list,
    active,
    apply,
    applyNotice,
    load,
    loadDetail,
    loadReport,
    loadWithActiveDetails,
    resync,
    loadTemplates,
    create,
    act,
    acknowledge,
  };
});
