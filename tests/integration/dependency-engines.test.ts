/**
 * Every installed package must run on the oldest Node version package.json `engines` promises, so
 * `npm ci` on that Node prints no EBADENGINE warning and `engines` stays truthful. Read from the
 * lockfile (what `npm ci` installs), checked with npm's own range semantics (semver).
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
}
interface Lockfile {
  packages: Record<string, LockPackage>;
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as Lockfile;

function nodeRange(pkg: LockPackage): string | undefined {
  return pkg.engines !== undefined && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
}

describe('dependency engines', () => {
  const oldest = semver.minVersion(manifest.engines.node);

  it('package.json engines names a lowest Node version', () => {
    expect(oldest?.version).toMatch(/^20\./);
  });

  it('every locked package supports the oldest promised Node version', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, pkg]) => ({ path, version: pkg.version, node: nodeRange(pkg) }))
      .filter((p) => p.node !== undefined && oldest !== null && !semver.satisfies(oldest, p.node));
    expect(refusing).toEqual([]);
  });

  it('the current Node satisfies package.json engines', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });

  it('exceljs gets a uuid without the GHSA-w5hq-g745-h8pq buffer bounds defect (fixed in 14)', () => {
    const uuids = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/uuid'));
    expect(uuids.length).toBeGreaterThan(0);
    for (const [, pkg] of uuids) expect(semver.gte(pkg.version ?? '0.0.0', '14.0.0')).toBe(true);
  });

  it('exceljs still writes with that uuid (the x14 id of a data-bar rule comes from uuid v4)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow([1]);
    sheet.addConditionalFormatting({
      ref: 'A1',
      rules: [{ type: 'dataBar', priority: 1, cfvo: [{ type: 'min' }, { type: 'max' }] } as ExcelJS.ConditionalFormattingRule],
    });
    const written = await workbook.xlsx.writeBuffer();
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(written);
    expect(read.getWorksheet('s')?.getCell('A1').value).toBe(1);
    expect(written.byteLength).toBeGreaterThan(0);
  });
});
