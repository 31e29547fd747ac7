/** Calendar dates `YYYY-MM-DD` on the browser's clock (the bureau's users are on China time, like the server's reports). */
import { addDays, localDate } from '@domain/local-time';

export const browserDate = (at: number = Date.now()): string => localDate(at, -new Date(at).getTimezoneOffset());
export { addDays };
