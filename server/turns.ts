/**
 * A long pass over many items (a province's 20,000 sources) given to the event loop in slices:
 * `perTurn` items, then a turn (setImmediate) for the requests and readings waiting, then the next
 * slice. The first slice runs before the first turn, so a short list is done at once.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export async function eachInTurns<T>(items: readonly T[], perTurn: number, each: (item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    each(items[i]!);
  }
}
