import { BusinessDate, businessDateAt } from "../domain/model/business-date";
import { Clock } from "../domain/ports/clock.port";

/** The wall clock in the organization's zone; ARBOT_NOW replaces it under NODE_ENV=test. */
export class SystemClock implements Clock {
  constructor(
    readonly timeZone: string,
    private readonly fixedNow: Date | null = null,
  ) {}

  now(): Date {
    return this.fixedNow ? new Date(this.fixedNow) : new Date();
  }

  today(): BusinessDate {
    return businessDateAt(this.now(), this.timeZone);
  }
}
