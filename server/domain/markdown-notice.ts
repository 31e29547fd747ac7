/**
 * A notice to enterprises in every channel, from its title, its markdown and its JSON facts: the
 * email (subject and plain text), plain JSON, DingTalk and WeCom markdown — as the warnings' and the
 * responses' notices are sent. Pure.
 */
import type { MessageChannel } from './notify-target';

/** Sends a notice to the users of these enterprises (app.ts: their email through the duty stage's routing, via the outbox). */
export type NotifyEnterprises = (
  enterpriseIds: readonly string[],
  event: string,
  refId: number,
  bodyOf: (channel: MessageChannel) => unknown,
) => void;

export interface MarkdownNotice {
  /** The JSON body's `event`. */
  event: string;
  title: string;
  /** `### title` then `- fact` lines. */
  markdown: string;
  /** The facts a JSON webhook gets beside event and title. */
  facts: Record<string, unknown>;
}

export function markdownMessage(channel: MessageChannel, n: MarkdownNotice): unknown {
  switch (channel) {
    case 'email':
      return { subject: n.title, text: n.markdown.replace(/^(### |- )/gm, '') };
    case 'json':
      return { event: n.event, title: n.title, ...n.facts };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: n.title, text: n.markdown } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: n.markdown } };
  }
}
