import { withinBudget } from "../../../../adapters/slack/listeners/views";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

test("a form check that answers within the budget gives its answer", async () => {
  const check = withinBudget(after(1999, "checked"), 2000);
  jest.advanceTimersByTime(1999);
  await expect(check).resolves.toBe("checked");
});

test("a form check still running at the budget is cut off, so the acknowledgement can go out", async () => {
  const check = withinBudget(after(5000, "too late"), 2000);
  jest.advanceTimersByTime(2000);
  await expect(check).rejects.toThrow("not checked within 2000 ms");
  jest.runOnlyPendingTimers();
});
