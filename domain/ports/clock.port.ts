import { BusinessDate } from "../model/business-date";

/** Time comes from here, never from `new Date()` in the domain. */
export interface Clock {
  now(): Date;
  /** Today in the organization's time zone. */
  today(): BusinessDate;
  readonly timeZone: string;
}
