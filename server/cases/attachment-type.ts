/**
 * What an uploaded attachment is, decided from its bytes (magic numbers), never from what the
 * client says: PDF, JPEG, PNG, and the Office zip containers DOCX and XLSX (a zip whose entries
 * name `[Content_Types].xml` and `word/` or `xl/`). Anything else — HTML, SVG, scripts,
 * executables, other archives — is refused. The file name must end in an extension of the kind its
 * bytes are (a PDF named `.html` is refused too), and is cleaned for display (no path, no control
 * characters); it is never used as a path.
 */
import type { AttachmentKind } from '../domain/case';

const EXTENSIONS: Record<AttachmentKind, readonly string[]> = {
  pdf: ['pdf'],
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  docx: ['docx'],
  xlsx: ['xlsx'],
};

const startsWith = (bytes: Uint8Array, sig: readonly number[]): boolean => sig.every((b, i) => bytes[i] === b);

/** Does `bytes` (its first `limit` bytes) contain the ASCII text? */
function holds(bytes: Uint8Array, text: string, limit = bytes.length): boolean {
  const needle = [...text].map((c) => c.charCodeAt(0));
  const end = Math.min(bytes.length, limit) - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The kind the bytes are, or null when none of the allowed ones. */
export function sniffKind(bytes: Uint8Array): AttachmentKind | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && holds(bytes, '[Content_Types].xml')) {
    if (holds(bytes, 'word/')) return 'docx';
    if (holds(bytes, 'xl/')) return 'xlsx';
  }
  return null;
}

/** The name as shown: its last path segment, without control characters, at most 120 characters. */
export function cleanName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = last.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (clean.length <= 120) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot) : '';
  return clean.slice(0, 120 - ext.length) + ext;
}

export type SniffResult =
  { ok: true; kind: AttachmentKind; name: string } | { ok: false; reason: 'bad_name' | 'type_not_allowed' | 'extension_mismatch' };

/** Judges an upload: its bytes an allowed kind, its name's extension that kind's. */
export function judgeAttachment(name: string, bytes: Uint8Array): SniffResult {
  const clean = cleanName(name);
  const dot = clean.lastIndexOf('.');
  if (clean.length === 0 || dot <= 0) return { ok: false, reason: 'bad_name' };
  const kind = sniffKind(bytes);
  if (kind === null) return { ok: false, reason: 'type_not_allowed' };
  const ext = clean.slice(dot + 1).toLowerCase();
  if (!EXTENSIONS[kind].includes(ext)) return { ok: false, reason: 'extension_mismatch' };
  return { ok: true, kind, name: clean };
}
