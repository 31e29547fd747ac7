/**
 * A Mosquitto of the test file's own: started before the file's tests, stopped after them. Test files
 * run in parallel, and an app subscribed to every logger topic on a shared broker would read the
 * readings another file's loggers publish, so no broker is shared between files.
 */
import { afterAll, beforeAll } from 'vitest';
import { startMosquitto, type Service } from './services';

export interface OwnBroker {
  /** The broker's mqtt:// URL (once the file's tests have started). */
  url(): string;
}

/** Call at the top level of a test file (its hooks then run before and after every describe's). */
export function ownMosquitto(): OwnBroker {
  let service: Service | undefined;
  beforeAll(async () => {
    service = await startMosquitto();
  });
  afterAll(async () => {
    await service?.stop();
  });
  return {
    url() {
      if (!service) throw new Error('the broker is not started yet: call url() inside a hook or a test');
      return service.url;
    },
  };
}
