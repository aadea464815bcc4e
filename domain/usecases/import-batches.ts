import { RowOrRejection } from "../model/imports";

export const IMPORT_BATCH_SIZE = 1000;

/** Groups a row stream into batches so that lookups and writes go per batch, not per row. */
export async function* inBatches<Row>(rows: AsyncIterable<RowOrRejection<Row>>, size = IMPORT_BATCH_SIZE): AsyncGenerator<RowOrRejection<Row>[]> {
  let batch: RowOrRejection<Row>[] = [];
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
