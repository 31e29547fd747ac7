/** CSV of the shown series, for Excel: UTF-8 with a BOM, CRLF line ends, quoted where needed. */

const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export const BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const line = (cells: readonly (string | number | null | undefined)[]) =>
    cells.map((c) => quote(c === null || c === undefined ? '' : String(c))).join(',');
  return BOM + [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}

/** Local time as `YYYY-MM-DD HH:mm:ss` (what a spreadsheet reads as a date). */
export function localStamp(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Hands the text to the browser as a file download. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
