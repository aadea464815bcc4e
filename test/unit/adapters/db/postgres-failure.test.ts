import { describePostgresFailure } from "../../../../adapters/db/open-database";

const target = { kind: "postgres" as const, url: "postgresql://dana@db.example.com:6543/ledger", schema: null };

describe("a PostgreSQL connection failure names its cause and what to do", () => {
  test.each([
    [{ code: "3D000", message: 'database "ledger" does not exist' }, 'database "ledger" does not exist on db.example.com:6543; create it (createdb ledger'],
    [{ code: "28P01", message: 'password authentication failed for user "dana"' }, 'db.example.com:6543 refused user "dana" (password authentication failed for user "dana"); fix the user or password'],
    [{ code: "28000", message: 'role "dana" does not exist' }, 'refused user "dana" (role "dana" does not exist)'],
    [{ code: "ECONNREFUSED", message: "" }, "nothing accepts connections on db.example.com:6543; start PostgreSQL or fix the host and port"],
    // Node's AggregateError for a host with several addresses: empty message, codes inside.
    [{ message: "", errors: [{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }] }, "nothing accepts connections on db.example.com:6543"],
    [{ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND db.example.com" }, 'host "db.example.com" is not known; fix the host in DATABASE_URL'],
    [{ code: "ETIMEDOUT", message: "" }, "db.example.com:6543 does not answer (ETIMEDOUT)"],
    [{ message: "" }, 'cannot reach PostgreSQL at db.example.com:6543, database "ledger": no answer; check DATABASE_URL'],
  ])("%j", (error, expected) => {
    const line = describePostgresFailure(error, target);
    expect(line.startsWith("cannot reach PostgreSQL")).toBe(true);
    expect(line).toContain(expected);
    expect(line).not.toContain("\n");
  });
});
