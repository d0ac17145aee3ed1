import { Injectable } from '@nestjs/common';
import { XapiExportService } from '@hocso/embed';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class XapiForwardProcessor {
  constructor(private readonly xapi: XapiExportService) {}

  /** Every minute: each integrator's new statements to its LRS (a failure is recorded and retried next minute). */
  @JobHandler(JobName.ForwardXapiStatements)
  forward(data: JobOf<JobName.ForwardXapiStatements>): Promise<JobResultOf<JobName.ForwardXapiStatements>> {
    return this.xapi.forward(data.integratorId);
  }
}
