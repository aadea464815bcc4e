import { BusinessDate, businessDateAt } from "../../domain/model/business-date";
import { Clock } from "../../domain/ports/clock.port";

/** A clock the test moves by hand. */
export class FixedClock implements Clock {
  private instant: Date;

  constructor(
    now: string | Date,
    readonly timeZone = "UTC",
  ) {
    this.instant = new Date(now);
  }

  now(): Date {
    return new Date(this.instant);
  }

  today(): BusinessDate {
    return businessDateAt(this.instant, this.timeZone);
  }

  set(now: string | Date): void {
    this.instant = new Date(now);
  }

  advanceDays(days: number): void {
    this.instant = new Date(this.instant.getTime() + days * 86_400_000);
  }
}
