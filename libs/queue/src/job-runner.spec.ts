import 'reflect-metadata';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { JobHandler } from './job-handler.decorator';
import { UnrecoverableError } from 'bullmq';
import { finalFailure, JobRunner, MissingJobHandlerError } from './job-runner';
import { JobName } from './queue-name.enum';

class Complete {
  @JobHandler(JobName.PurgeExpired)
  async purge() {
    return 'ok';
  }
}
class Duplicate {
  @JobHandler(JobName.PurgeExpired)
  async again() {
    return 'again';
  }
}
/** One handler for every other job of the catalogue (the check is about completeness). */
const others = Object.values(JobName)
  .filter((name) => name !== JobName.PurgeExpired)
  .map((name) => {
    class Other {
      async run() {
        return name;
      }
    }
    JobHandler(name)(Other.prototype, 'run', Object.getOwnPropertyDescriptor(Other.prototype, 'run')!);
    return new Other();
  });
class Nothing {
  async unrelated() {
    return 1;
  }
}

function runner(instances: object[]) {
  const discovery = { getProviders: () => instances.map((instance) => ({ instance })) };
  return new JobRunner(discovery as never, new MetadataScanner(), new Reflector(), {} as never, {} as never);
}

describe('JobRunner catalogue check', () => {
  it('finds exactly one handler per job', () => {
    const handlers = runner([new Complete(), ...others, new Nothing()]).collectHandlers();
    expect([...handlers.keys()].sort()).toEqual(Object.values(JobName).sort());
  });

  it('refuses to start when a job has no handler', () => {
    expect(() => runner([new Nothing()]).collectHandlers()).toThrow(MissingJobHandlerError);
    expect(() => runner([new Nothing()]).collectHandlers()).toThrow(/no handler for job\(s\): purge-expired/);
  });

  it('refuses two handlers for one job', () => {
    expect(() => runner([new Complete(), new Duplicate()]).collectHandlers()).toThrow(/more than one handler/);
  });
});

describe('finalFailure (RC4: which failures are the end of a job)', () => {
  const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: { attempts } }) as never;

  it('stalled more than allowed, unrecoverable, or the last attempt — nothing else', () => {
    expect(finalFailure(job(0, 5), new UnrecoverableError('job stalled more than allowable limit'))).toBe('stalled');
    expect(finalFailure(job(1, 5), new UnrecoverableError('REPORT_SYNTAX: bad'))).toBe('unrecoverable');
    expect(finalFailure(job(5, 5), new Error('connection refused'))).toBe('attempts');
    expect(finalFailure(job(1), new Error('no retries configured'))).toBe('attempts');
    expect(finalFailure(job(2, 5), new Error('connection refused'))).toBeUndefined();
  });
});
