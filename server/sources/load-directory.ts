/** The source directory at start: the live registry's sources with their last stored values. */
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { TelemetryModule } from '../storage/telemetry-module';
import { SourceDirectory } from './source-directory';

/** The store may be down at start: then the latest values fill in as readings arrive. */
export async function loadSourceDirectory(
  registry: RegistryView,
  telemetry: TelemetryModule['store'],
  log: Logger,
): Promise<SourceDirectory> {
  const directory = new SourceDirectory(registry);
  try {
    for (const lv of await telemetry.latest('2011')) directory.noteLatest(lv);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'telemetry store unreachable at start: latest values will fill in as readings arrive');
  }
  return directory;
}
