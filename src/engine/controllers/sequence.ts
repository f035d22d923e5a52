/**
 * Runs asynchronous steps one after another: each step calls next() when it is done, at once or
 * later (after an API answer). Steps that finish at once are looped over rather than nested, so
 * going through thousands of nodes or pods does not grow the stack.
 */
export function inSequence<T>(items: readonly T[], step: (item: T, next: () => void) => void, done: () => void): void {
  let i = 0;
  const pump = (): void => {
    while (i < items.length) {
      const item = items[i++] as T;
      let finished = false;
      let returned = false;
      step(item, () => {
        finished = true;
        if (returned) pump();
      });
      returned = true;
      // Not finished yet: its callback picks the loop up again.
      if (!finished) return;
    }
    done();
  };
  pump();
}

/** inSequence, stopping at the first step that fails: done(false) then, done(true) after the last. */
export function inSequenceWhileOk<T>(items: readonly T[], step: (item: T, next: (ok: boolean) => void) => void, done: (ok: boolean) => void): void {
  inSequence(
    items,
    (item, next) => step(item, (ok) => (ok ? next() : done(false))),
    () => done(true),
  );
}
