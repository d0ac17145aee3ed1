import { JobName } from './queue-name.enum';

/**
 * Payload of each job. Only ids and keys go into jobs — never names, phones or other personal data
 * (job data is stored in clear text on the backend).
 */
export interface JobPayloads {
  [JobName.PurgeExpired]: {
    /** ISO instant treated as "now" (tests); defaults to the time the job runs */ now?: string;
  };
}

export type JobOf<N extends JobName> = JobPayloads[N];

export interface JobResults {
  [JobName.PurgeExpired]: { idempotencyKeys: number; refreshTokens: number };
}

export type JobResultOf<N extends JobName> = JobResults[N];
