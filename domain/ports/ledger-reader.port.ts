import { Ledger } from "../model/ledger";

/** Loads the dated facts every as-of computation evaluates. */
export interface LedgerReader {
  loadLedger(): Promise<Ledger>;
}
