export const IMPORT_BATCH_SIZE = 1000;

/** Groups a row stream into batches so that lookups and writes go per batch, not per row. */
export async function* inBatches<Item>(rows: AsyncIterable<Item>, size = IMPORT_BATCH_SIZE): AsyncGenerator<Item[]> {
  let batch: Item[] = [];
  for await (const item of rows) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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
