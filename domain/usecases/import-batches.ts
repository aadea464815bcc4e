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

/** The three steps of a pipelined import: read what a batch needs, decide it, write it. */
export interface BatchSteps<Batch, Found, Work> {
  /**
   * What a batch reads before it is decided. Called in file order, while the batch before is
   * decided; `previousWritten` settles once the batch before is written, for a batch whose
   * reads depend on that write.
   */
  look(batch: Batch, previousWritten: Promise<void>): Promise<Found>;
  /** Decides a batch, in file order, once the batches before it are decided. */
  decide(batch: Batch, found: Found): Work;
  /** Writes a decided batch; called in file order, each once the write before it has ended. */
  write(work: Work): Promise<void>;
}

/**
 * Runs batches pipelined: a batch's reads are made while the batch before it is decided,
 * and its write while the batch after it is; decisions and writes keep file order, one
 * write at a time. A failure ends the run once the write in progress and the next batch's
 * reads have ended, with its first cause (a failed write before what failed after it); a
 * batch that cannot be read fails only after the write of the batch before it was sent, so
 * the batches before a bad one are written.
 */
export async function pipelined<Batch, Found, Work>(source: AsyncIterable<Batch>, steps: BatchSteps<Batch, Found, Work>): Promise<void> {
  const batches = source[Symbol.asyncIterator]();
  let writing: Promise<void> = Promise.resolve();
  // On a failure: a next batch waiting on this one's write is let go, then its reads awaited.
  let releaseWaiting = (): void => undefined;
  let lookingAhead: Promise<unknown> = Promise.resolve();
  const start = (batch: Batch, previousWritten: Promise<void>) => {
    const looked = steps.look(batch, previousWritten).then((found) => ({ batch, found }));
    // Seen when its turn comes; not an unhandled rejection before.
    looked.catch(() => undefined);
    return looked;
  };
  try {
    const first = await batches.next();
    // Wrapped, so that awaiting the next batch's read does not wait for its reads too.
    let ahead = first.done ? null : { looked: start(first.value, writing) };
    while (ahead) {
      let markWritten!: () => void;
      const written = new Promise<void>((resolve) => (markWritten = resolve));
      const following = batches.next().then((next) => (next.done ? null : { looked: start(next.value, written) }));
      following.catch(() => undefined);
      releaseWaiting = markWritten;
      lookingAhead = following.then((next) => next?.looked);
      lookingAhead.catch(() => undefined);
      const { batch, found } = await ahead.looked;
      const work = steps.decide(batch, found);
      await writing;
      writing = steps.write(work);
      // Awaited before the next write or the end; not unhandled meanwhile.
      writing.catch(() => undefined);
      writing.then(markWritten, markWritten);
      // A turn of the event loop, so that the write is sent now (a pooled connection is handed
      // over on a later tick) rather than once the next batch is read and decided (a chain of
      // promises already settled): the database writes while the process decides, measured
      // 5 ms per batch of 1 000 invoices otherwise spent with nothing written.
      await new Promise((resolve) => setImmediate(resolve));
      ahead = await following;
    }
  } catch (error) {
    const failedWrite = await writing.then(
      () => null,
      (writeError: unknown) => writeError,
    );
    throw failedWrite ?? error;
  } finally {
    await batches.return?.(undefined);
    await writing.catch(() => undefined);
    releaseWaiting();
    await lookingAhead.catch(() => undefined);
  }
  await writing;
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
