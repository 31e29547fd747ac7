/**
 * The fixtures the tests run on, apart from what ships in config/: the former demo registry (a
 * fictional Zibo, MNs 370300…) and its schematic district outlines. The harness (test-app.ts) and
 * every test that names those MNs, enterprises or passwords read these, so the shipped demo
 * (config/registry.yaml, config/map/) can change without touching them.
 */
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The registry the tests were written against (REGISTRY_FILE for a test server). */
export const TEST_REGISTRY_FILE = join(ROOT, 'tests/fixtures/registry-zibo.yaml');
/** Its district outlines (a FeatureCollection of named polygons). */
export const TEST_DISTRICTS_FILE = join(ROOT, 'tests/fixtures/map/zibo-districts.geo.json');
