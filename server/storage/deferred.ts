/** A promise with its settle functions, for "resolves once durable" batches. */
export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection is reported through the callers' awaits; never as an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
