import { Injectable } from '@nestjs/common';

/**
 * "Now" for workforce rules (today's local date, the current ISO week, the reporting window).
 * One injectable so tests can pin the date — reports are validated against today, and a week
 * across New Year has to be tested whatever day the suite runs on.
 */
@Injectable()
export class WorkforceClock {
  now(): Date {
    return new Date();
  }
}
