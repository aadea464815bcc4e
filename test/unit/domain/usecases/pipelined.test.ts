import { pipelined } from "../../../../domain/usecases/import-batches";

async function* batches(count: number, failAt?: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error(`batch ${i} cannot be read`);
    yield i;
  }
}

/** A write that ends when the test says so, recording what ran when. */
function recorder() {
  const events: string[] = [];
  let writesRunning = 0;
  return {
    events,
    write: async (batch: number, fail = false) => {
      writesRunning++;
      events.push(`write ${batch} (${writesRunning} running)`);
      await new Promise((resolve) => setImmediate(resolve));
      writesRunning--;
      if (fail) throw new Error(`write ${batch} failed`);
      events.push(`written ${batch}`);
    },
  };
}

test("batches are decided and written in order, one write at a time, each read while the one before is decided", async () => {
  const r = recorder();
  await pipelined(batches(4), {
    look: async (batch) => {
      r.events.push(`look ${batch}`);
      return batch * 10;
    },
    decide: (batch, found) => {
      r.events.push(`decide ${batch}`);
      return found;
    },
    write: (work) => r.write(work / 10),
  });
  expect(r.events.filter((e) => e.startsWith("decide"))).toEqual(["decide 0", "decide 1", "decide 2", "decide 3"]);
  expect(r.events.filter((e) => e.startsWith("write"))).toEqual(["write 0 (1 running)", "write 1 (1 running)", "write 2 (1 running)", "write 3 (1 running)"]);
  // Batch 1's reads start before batch 0 is written.
  expect(r.events.indexOf("look 1")).toBeLessThan(r.events.indexOf("written 0"));
  expect(r.events.at(-1)).toBe("written 3");
});

test("a batch whose reads wait for the write before it reads what that write left", async () => {
  const stored: number[] = [];
  const seen: number[][] = [];
  await pipelined(batches(3), {
    look: (batch, previousWritten) => previousWritten.then(() => [...stored]),
    decide: (batch, found) => {
      seen.push(found);
      return batch;
    },
    write: async (batch) => {
      await new Promise((resolve) => setImmediate(resolve));
      stored.push(batch);
    },
  });
  expect(seen).toEqual([[], [0], [0, 1]]);
});

test("a batch that cannot be read fails the run after the batches before it are written", async () => {
  const r = recorder();
  await expect(pipelined(batches(5, 2), { look: async (b) => b, decide: (b) => b, write: (b) => r.write(b) })).rejects.toThrow("batch 2 cannot be read");
  expect(r.events.filter((e) => e.startsWith("written"))).toEqual(["written 0", "written 1"]);
});

test("a failed write is the error reported, not what failed after it, and the run ends once nothing runs", async () => {
  const r = recorder();
  let looking = 0;
  const run = pipelined(batches(5), {
    look: async (b, previousWritten) => {
      looking++;
      await previousWritten;
      looking--;
      if (b === 2) throw new Error("lookup 2 failed");
      return b;
    },
    decide: (b) => b,
    write: (b) => r.write(b, b === 1),
  });
  await expect(run).rejects.toThrow("write 1 failed");
  expect(looking).toBe(0);
  expect(r.events.filter((e) => e.startsWith("written"))).toEqual(["written 0"]);
});

test("a write that hands its statement over on a later tick (as a pooled connection is) sends it before the next batch is decided", async () => {
  const events: string[] = [];
  await pipelined(batches(3), {
    look: async (batch) => batch,
    decide: (batch) => {
      events.push(`decide ${batch}`);
      return batch;
    },
    write: async (batch) => {
      await new Promise((resolve) => process.nextTick(resolve));
      events.push(`sent ${batch}`);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  expect(events).toEqual(["decide 0", "sent 0", "decide 1", "sent 1", "decide 2", "sent 2"]);
});
