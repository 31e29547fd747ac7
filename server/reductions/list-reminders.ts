/**
 * Reminders that the emission-reduction list is due (issue 18 item 1; PLANS E3: revised by 31
 * August, reminded from 1 August): on each tick, every enterprise with air emissions that has no list
 * for this year gets one notice for the year (reminderYear, server/domain/reduction-reminder.ts).
 * The reminder is recorded in the store before it is sent, so it goes once per enterprise and year
 * across restarts and processes. Driven by the app's clock.
 */
import { localDate } from '../domain/local-time';
import { markdownMessage, type NotifyEnterprises } from '../domain/markdown-notice';
import type { MessageChannel } from '../domain/notify-target';
import { isOverdue, listDueDate, reminderYear } from '../domain/reduction-reminder';
import { airEmitters } from '../domain/reduction-scope';
import type { Enterprise } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { ReductionListStore } from '../storage/sql/reduction-list-store';

export interface ListRemindersDeps {
  store: Pick<ReductionListStore, 'summaries' | 'reminders' | 'markReminded'>;
  registry: RegistryView;
  notifyEnterprises: NotifyEnterprises;
  utcOffsetMinutes: number;
  log: Logger;
  now: () => number;
}

/** The reminder's words: due by 31 August, or overdue after it. */
export function reminderMarkdown(e: Pick<Enterprise, 'name'>, year: number, today: string): string {
  const [, m, d] = listDueDate(year).split('-').map(Number);
  const due = `${year}年${m}月${d}日`;
  return [
    `### 【应急减排清单报送提醒】${e.name}`,
    `- 企业：${e.name}`,
    isOverdue(today, year)
      ? `- ${year} 年度应急减排清单应于 ${due}前报送，现已逾期，请尽快报送`
      : `- 请于 ${due}前报送 ${year} 年度应急减排清单`,
    `- 清单细化到生产线、工序和设施：各预警级别的减排措施、关键性指标、预计减排量、责任人及联系电话`,
  ].join('\n');
}

export function formatReminder(channel: MessageChannel, e: Pick<Enterprise, 'id' | 'name'>, year: number, today: string): unknown {
  return markdownMessage(channel, {
    event: 'reduction_list_due',
    title: `【应急减排清单报送提醒】${e.name}`,
    markdown: reminderMarkdown(e, year, today),
    facts: { enterpriseId: e.id, year, due: listDueDate(year) },
  });
}

export class ListReminders {
  constructor(private readonly deps: ListRemindersDeps) {}

  /** Sends the reminders due today; resolves with how many were sent. */
  async tick(): Promise<number> {
    const now = this.deps.now();
    const today = localDate(now, this.deps.utcOffsetMinutes);
    const year = Number(today.slice(0, 4));
    if (reminderYear(today, []) === null) return 0;
    const years = new Map<string, number[]>();
    for (const s of await this.deps.store.summaries()) years.set(s.enterpriseId, [...(years.get(s.enterpriseId) ?? []), s.year]);
    const sent = await this.deps.store.reminders(year);
    let count = 0;
    for (const e of airEmitters(this.deps.registry.current())) {
      if (sent.has(e.id) || reminderYear(today, years.get(e.id) ?? []) === null) continue;
      if (!(await this.deps.store.markReminded(e.id, year, now))) continue;
      this.deps.notifyEnterprises([e.id], 'reduction_list_due', year, (channel) => formatReminder(channel, e, year, today));
      count += 1;
    }
    if (count > 0) this.deps.log.info({ year, reminded: count }, 'reduction-list reminders sent');
    return count;
  }
}
