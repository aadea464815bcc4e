export const IMPORT_BATCH_SIZE = 1000;

/**
 * Groups a stream of runs of rows into batches of `size` so that lookups and writes go per
 * batch, not per row. The next batch is read while the caller works on this one: reading a
 * file is CPU work (parsing, checking cells) that would otherwise wait for each batch's
 * database round trips. The rows and their order are the same; a failure while reading
 * ahead is thrown when the caller asks for that batch, as it was.
 */
export async function* inBatches<Item>(runs: AsyncIterable<Item[]>, size = IMPORT_BATCH_SIZE): AsyncGenerator<Item[]> {
  const source = runs[Symbol.asyncIterator]();
  let done = false;
  let pending: Item[] = [];
  let offset = 0;
  const read = async (): Promise<Item[]> => {
    while (pending.length - offset < size && !done) {
      const next = await source.next();
      if (next.done) done = true;
      else {
        pending = offset === pending.length ? next.value : pending.slice(offset).concat(next.value);
        offset = 0;
      }
    }
    const batch = pending.slice(offset, offset + size);
    offset += batch.length;
    return batch;
  };
  try {
    let ahead = read();
    while (true) {
      const batch = await ahead;
      if (batch.length === 0) return;
      if (done && offset === pending.length) {
        yield batch;
        return;
      }
      ahead = read();
      // Seen when the caller asks for it; not an unhandled rejection if it never does.
      ahead.catch(() => undefined);
      yield batch;
    }
  } finally {
    if (!done) await source.return?.();
  }
}

export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * The line each key of a file was first seen on, refused rows included: a later row with
 * the same key is a repeat (section 6).
 */
export class FirstLines {
  private readonly lines = new Map<string, number>();

  /** Records the key on this line, or returns the earlier line it was first seen on. */
  see(key: string, line: number): number | undefined {
    const earlier = this.lines.get(key);
    if (earlier === undefined) this.lines.set(key, line);
    return earlier;
  }
}

/** A row-level refusal raised while applying business rules; becomes a report line. */
export class RowRefused extends Error {
  constructor(
    readonly column: string,
    readonly value: string,
    reason: string,
  ) {
    super(reason);
  }
}
