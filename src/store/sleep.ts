/** Waits `ms` milliseconds; resolves early (with false) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs tasks one at a time in call order; a failed task does not block the next. */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  return (task) => {
    // An idle queue starts the task at once, so its synchronous part (such as handing a batch
    // to the write thread) does not wait until the caller's synchronous work is done.
    const run = queued === 0 ? (async () => task())() : tail.then(task, task);
    queued += 1;
    tail = run.catch(() => undefined).finally(() => (queued -= 1));
    return run;
  };
}
