/**
 * Reminding enterprises of their emission-reduction list (issue 18 item 1; PLANS E3: revised by
 * 31 August, reminded from 1 August). Pure: which year's reminder is due today. From 1 August of
 * year Y to the year's end, an enterprise with air emissions that has no list of year Y (or later)
 * is reminded once for Y; after 31 August the reminder says the list is overdue. Before 1 August
 * nothing is due (last season's list still serves, or the enterprise is reminded in August).
 */
import { LIST_DUE, LIST_REMINDER } from './reduction-list';

const pad = (n: number): string => String(n).padStart(2, '0');
const REMIND_FROM = `${pad(LIST_REMINDER.month)}-${pad(LIST_REMINDER.day)}`;
const DUE = `${pad(LIST_DUE.month)}-${pad(LIST_DUE.day)}`;

/** The year whose list a reminder is due for today (`YYYY-MM-DD`, local), or null. */
export function reminderYear(today: string, listYears: readonly number[]): number | null {
  const year = Number(today.slice(0, 4));
  if (today.slice(5) < REMIND_FROM) return null;
  return listYears.some((y) => y >= year) ? null : year;
}

/** The list's due date of a year, `YYYY-MM-DD`, and whether `today` is past it. */
export function listDueDate(year: number): string {
  return `${year}-${DUE}`;
}

export const isOverdue = (today: string, year: number): boolean => today > listDueDate(year);
