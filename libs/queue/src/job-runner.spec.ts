import 'reflect-metadata';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { JobHandler } from './job-handler.decorator';
import { JobRunner, MissingJobHandlerError } from './job-runner';
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
