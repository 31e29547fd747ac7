import { describe, expect, it } from 'vitest';
import { cleanName, judgeAttachment } from './attachment-type';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const PDF = bytes('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR');
const zip = (...entries: string[]) =>
  bytes(...entries.flatMap((e) => [[0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0], e] as (string | number[])[]));
const DOCX = zip('[Content_Types].xml', 'word/document.xml');
const XLSX = zip('[Content_Types].xml', 'xl/workbook.xml');

describe('attachment type by magic number (the allowlist and its look-alikes)', () => {
  it.each([
    ['a PDF', '整改报告.pdf', PDF, 'pdf'],
    ['a JPEG (.jpg)', '现场照片.jpg', JPEG, 'jpeg'],
    ['a JPEG (.JPEG)', 'photo.JPEG', JPEG, 'jpeg'],
    ['a PNG', '截图.png', PNG, 'png'],
    ['a DOCX', '整改方案.docx', DOCX, 'docx'],
    ['an XLSX', '台账.xlsx', XLSX, 'xlsx'],
    ['HTML named .pdf', 'report.pdf', bytes('<!DOCTYPE html><script>alert(1)</script>'), 'type_not_allowed'],
    ['SVG named .png', 'logo.png', bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'type_not_allowed'],
    ['a Windows executable', 'setup.pdf', bytes('MZ', [0x90, 0, 3, 0]), 'type_not_allowed'],
    ['an ELF executable', 'run.png', bytes([0x7f], 'ELF', [2, 1, 1]), 'type_not_allowed'],
    ['a shell script', 'fix.docx', bytes('#!/bin/sh\nrm -rf /'), 'type_not_allowed'],
    ['a plain zip', 'data.xlsx', zip('evil.exe'), 'type_not_allowed'],
    ['a zip with content types but neither word nor xl', 'x.docx', zip('[Content_Types].xml', 'ppt/slide1.xml'), 'type_not_allowed'],
    ['a PDF named .html', 'report.html', PDF, 'extension_mismatch'],
    ['a PNG named .jpg', 'photo.jpg', PNG, 'extension_mismatch'],
    ['a DOCX named .xlsx', 'sheet.xlsx', DOCX, 'extension_mismatch'],
    ['no extension', 'report', PDF, 'bad_name'],
    ['empty name', '', PDF, 'bad_name'],
    ['an empty file', 'x.pdf', bytes(), 'type_not_allowed'],
  ] as const)('%s', (_name, name, body, expected) => {
    const r = judgeAttachment(name, body);
    expect(r.ok ? r.kind : r.reason).toBe(expected);
  });

  it('keeps the last path segment of a name, without control characters or quotes, 120 characters at most', () => {
    expect(cleanName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(cleanName('C:\\Users\\me\\报告.pdf')).toBe('报告.pdf');
    expect(cleanName('a\r\nb"c.pdf')).toBe('abc.pdf');
    const long = cleanName(`${'长'.repeat(200)}.pdf`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
