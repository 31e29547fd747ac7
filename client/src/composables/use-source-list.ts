/**
 * The dashboard's whole source list, for a page that needs every source (a select of all outlets,
 * the enterprises' names, the districts). A city's comes with the socket's snapshot; a province's
 * (about 12 MB at 20,000 outlets) is fetched only when such a page is opened, never on the start
 * path (stores/sources.ts `wantAll`).
 */
import { useSourcesStore } from '../stores/sources';

export function useSourceList(): ReturnType<typeof useSourcesStore> {
  const sources = useSourcesStore();
  sources.wantAll();
  return sources;
}
