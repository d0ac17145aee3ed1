import { Injectable } from '@nestjs/common';
import { CertificatesService } from '@hocso/certification';
import { type JobOf, JobHandler, JobName, type JobResultOf } from '@hocso/queue';

@Injectable()
export class CertificatesProcessor {
  constructor(private readonly certificates: CertificatesService) {}

  /** One credential per holder and achievement (the job id and a unique row both guard it), then its PDF. */
  @JobHandler(JobName.IssueCertificate)
  issue(data: JobOf<JobName.IssueCertificate>): Promise<JobResultOf<JobName.IssueCertificate>> {
    return this.certificates.issue(data);
  }
}
