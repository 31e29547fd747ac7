/** The REST bodies of pre-notices and acknowledgements (zod; the routers parse with them). */
import { z } from 'zod';
import { parseLocalDate } from './local-time';

const date = z.string().refine((s) => parseLocalDate(s, 0) !== null, 'must be a date YYYY-MM-DD');

/** POST /api/pre-notices: level and period default to the forecast outlook's; the message to the standard text. */
export const issuePreNoticeSchema = z
  .object({
    districts: z
      .array(z.string().trim().min(1).max(100))
      .min(1, 'choose at least one district')
      .refine((ds) => new Set(ds).size === ds.length, 'listed twice'),
    level: z.enum(['orange', 'red']).optional(),
    from: date.optional(),
    to: date.optional(),
    message: z.string().trim().min(1, 'must not be empty').max(2000).optional(),
  })
  .strict()
  .refine((b) => (b.from === undefined) === (b.to === undefined), { message: 'give both from and to, or neither', path: ['to'] })
  .refine((b) => b.from === undefined || b.to === undefined || b.from <= b.to, { message: 'must not be before from', path: ['to'] });
export type IssuePreNoticeInput = z.infer<typeof issuePreNoticeSchema>;

/** The standard text of a pre-notice (plan 004). */
export const PRE_NOTICE_MESSAGE =
  '预计近期将频繁出现橙色及以上重污染天气，请生产工序不可中断或短时间内难以完全停产的企业提前调整生产计划，做好应急减排准备。';
