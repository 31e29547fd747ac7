/**
 * A case's attachments (issue 19 item 3): upload (sniffed by server/cases/attachment-type.ts, stored
 * under a random name with size and sha256, refused with a clear code and counted), download (the
 * record and the file's path, in the caller's scope), and delete (by the file's party, while
 * server/domain/case-attachment.ts `mayDetach` allows it: the record goes in one transaction with the
 * case's version checked, then the file from disk). Each change is audited on the case and announced.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditActor } from '../auth/audit-log';
import type { CaseAuditAction } from '../domain/audit';
import { MAX_CASE_ATTACHMENTS, type CaseAttachment, type CaseParty, type RectificationCase } from '../domain/case';
import { mayDetach } from '../domain/case-attachment';
import { HttpError } from '../domain/errors';
import type { Logger } from '../logger';
import { caseConflict, caseNotFound, type CaseStore, type HistoryInput } from '../storage/sql/case-store';
import { judgeAttachment } from './attachment-type';

/** Who is acting on a case: their identity for audit and history, and as which party. */
export interface CaseActor {
  principal: AuditActor & { username: string };
  /** The enterprise the caller is bound to (an enterprise user), or null (the bureau). */
  tenant: string | null;
  ip: string | null;
}

/** How an attachment is refused: status, a stable code the dashboard words, the message. */
const ATTACHMENT_REFUSALS = {
  bad_name: [400, 'attachment_bad_name', 'give the file’s name with its extension (?name=报告.pdf)'],
  empty: [400, 'attachment_empty', 'the file is empty'],
  type_not_allowed: [415, 'attachment_type_not_allowed', 'only PDF, JPEG, PNG, DOCX and XLSX files are accepted'],
  extension_mismatch: [415, 'attachment_extension_mismatch', 'the file’s extension does not match its content'],
  full: [409, 'attachment_limit', `a case holds at most ${MAX_CASE_ATTACHMENTS} attachments`],
} as const;

export type AttachmentRefusal = keyof typeof ATTACHMENT_REFUSALS | 'too_large';

export interface CaseAttachmentsDeps {
  store: CaseStore;
  /** Where attachments' files go. */
  filesDir: string;
  /** The case as the caller may see it (404 for another enterprise's). */
  get(id: number, tenant: string | null): Promise<RectificationCase>;
  audit(action: CaseAuditAction, c: RectificationCase, actor: CaseActor, detail: Record<string, unknown>): Promise<void>;
  announce(c: RectificationCase): void;
  log: Logger;
  now: () => number;
}

const partyOf = (actor: CaseActor): CaseParty => (actor.tenant === null ? 'bureau' : 'enterprise');

export class CaseAttachments {
  /** Refused uploads by reason, for metrics. */
  readonly refused: Record<string, number> = {};

  constructor(private readonly deps: CaseAttachmentsDeps) {}

  /** Stores an uploaded file for the case (sniffed; refused with a clear code), as the enterprise's report material or the bureau's. */
  async attach(id: number, name: string, bytes: Buffer, actor: CaseActor): Promise<CaseAttachment> {
    const c = await this.deps.get(id, actor.tenant);
    const party = partyOf(actor);
    if (c.status === 'closed') throw new HttpError(409, 'case_closed', 'the case is closed');
    if (party === 'enterprise' && c.status !== 'open' && c.status !== 'returned')
      throw new HttpError(409, 'case_wrong_status', `a ${c.status} case takes no new material from the enterprise`);
    if (bytes.length === 0) return this.refuse('empty', c, actor, name, 0);
    const judged = judgeAttachment(name, bytes);
    if (!judged.ok) return this.refuse(judged.reason, c, actor, name, bytes.length);
    const storedAs = randomBytes(16).toString('hex');
    const path = join(this.deps.filesDir, storedAs);
    await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
    const at = this.deps.now();
    const attachment: CaseAttachment = {
      id: randomUUID(),
      name: judged.name,
      kind: judged.kind,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedBy: actor.principal.username,
      uploadedAt: at,
      party,
    };
    const entry: HistoryInput = {
      at,
      by: actor.principal.username,
      event: 'attached',
      note: null,
      detail: { name: judged.name, size: bytes.length },
      internal: false,
    };
    const outcome = await this.deps.store.addAttachment(id, attachment, storedAs, MAX_CASE_ATTACHMENTS, entry);
    if (outcome !== 'added') {
      await unlink(path);
      if (outcome === 'full') return this.refuse('full', c, actor, name, bytes.length);
      throw outcome === 'missing' ? caseNotFound(id) : new HttpError(409, 'case_closed', 'the case is closed');
    }
    await this.deps.audit('case.attachment_added', c, actor, { name: attachment.name, size: attachment.size, sha256: attachment.sha256 });
    await this.announceCase(id);
    return attachment;
  }

  /** A refused upload: counted, logged, audited, and answered with its code. */
  async refuse(reason: AttachmentRefusal, c: RectificationCase | null, actor: CaseActor, name: string, size: number): Promise<never> {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    this.deps.log.warn({ case: c?.id, reason, size, by: actor.principal.username }, 'case attachment refused');
    if (c) await this.deps.audit('case.attachment_refused', c, actor, { reason, name: name.slice(0, 120), size });
    if (reason === 'too_large') throw new HttpError(413, 'attachment_too_large', 'the file is larger than the limit');
    const [status, code, message] = ATTACHMENT_REFUSALS[reason];
    throw new HttpError(status, code, message);
  }

  /** An attachment of a case the caller may see, and its file's path. */
  async file(id: number, attachmentId: string, tenant: string | null): Promise<{ attachment: CaseAttachment; path: string }> {
    await this.deps.get(id, tenant);
    const found = await this.deps.store.attachment(id, attachmentId);
    if (!found) throw new HttpError(404, 'not_found', `attachment ${attachmentId} not found`);
    return { attachment: found.attachment, path: join(this.deps.filesDir, found.storedAs) };
  }

  /** Deletes an attachment as `mayDetach` allows (403/409 with the reason otherwise); the file goes from disk too. */
  async remove(id: number, attachmentId: string, actor: CaseActor): Promise<void> {
    const c = await this.deps.get(id, actor.tenant);
    const a = c.attachments.find((x) => x.id === attachmentId);
    if (!a) throw new HttpError(404, 'not_found', `attachment ${attachmentId} not found`);
    const refusal = mayDetach(c, a, partyOf(actor));
    if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message);
    const entry: HistoryInput = {
      at: this.deps.now(),
      by: actor.principal.username,
      event: 'detached',
      note: null,
      detail: { name: a.name, size: a.size },
      internal: false,
    };
    const storedAs = await this.deps.store.removeAttachment(id, attachmentId, c.version, entry);
    if (storedAs === 'missing') throw new HttpError(404, 'not_found', `attachment ${attachmentId} not found`);
    if (storedAs === 'moved') throw caseConflict(id);
    await unlink(join(this.deps.filesDir, storedAs)).catch((err: unknown) =>
      this.deps.log.error({ err, case: id, attachment: attachmentId }, 'a deleted attachment’s file could not be removed'),
    );
    await this.deps.audit('case.attachment_deleted', c, actor, { name: a.name, size: a.size, sha256: a.sha256, party: a.party });
    await this.announceCase(id);
  }

  private async announceCase(id: number): Promise<void> {
    const saved = await this.deps.store.get(id);
    if (saved) this.deps.announce(saved);
  }
}
