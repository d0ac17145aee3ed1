import { CERTIFICATE_JOB_OPTIONS } from '@hocso/certification';
import { INVITATION_JOB_OPTIONS } from '@hocso/identity';
import { LTI_SCORE_JOB_OPTIONS } from '@hocso/lti';
import { DEFAULT_JOB_OPTIONS } from '@hocso/queue';
import { COMPLIANCE_JOB_OPTIONS, NOTIFICATION_JOB_OPTIONS, REPORT_JOB_OPTIONS } from '@hocso/workforce';
import type { KeepJobs } from 'bullmq';

/**
 * RELIABILITY RC15: finished jobs do not pile up in Redis (or the PostgreSQL backend's tables).
 * Every job option set — the queues' defaults and each service's own — keeps completed and failed
 * jobs for a bounded count and age, or removes them at once; options a set leaves out fall back to
 * the defaults, which are bounded themselves.
 */
const bounded = (keep: boolean | number | KeepJobs | undefined, fallback: boolean | number | KeepJobs | undefined) => {
  const k = keep ?? fallback;
  if (k === true) return true; // removed at once
  if (typeof k === 'number') return k > 0 && k <= 10_000;
  if (k && typeof k === 'object') {
    const { count, age } = k as { count?: number; age?: number };
    return count !== undefined && count <= 10_000 && age !== undefined && age <= 31 * 24 * 3600;
  }
  return false; // false or missing: kept for ever
};
describe('job retention (RC15)', () => {
  it('the queues’ default options keep at most 10,000 jobs for at most a month, completed and failed', () => {
    expect(bounded(DEFAULT_JOB_OPTIONS.removeOnComplete, undefined)).toBe(true);
    expect(bounded(DEFAULT_JOB_OPTIONS.removeOnFail, undefined)).toBe(true);
  });

  it.each([
    ['certificates', CERTIFICATE_JOB_OPTIONS],
    ['invitations', INVITATION_JOB_OPTIONS],
    ['LTI scores', LTI_SCORE_JOB_OPTIONS],
    ['compliance', COMPLIANCE_JOB_OPTIONS],
    ['notifications', NOTIFICATION_JOB_OPTIONS],
    ['training reports', REPORT_JOB_OPTIONS],
  ] as const)('%s jobs are bounded too', (_name, opts) => {
    const o = opts as { removeOnComplete?: boolean | number | KeepJobs; removeOnFail?: boolean | number | KeepJobs };
    expect(bounded(o.removeOnComplete, DEFAULT_JOB_OPTIONS.removeOnComplete)).toBe(true);
    expect(bounded(o.removeOnFail, DEFAULT_JOB_OPTIONS.removeOnFail)).toBe(true);
  });

  it('the check itself refuses unbounded options', () => {
    expect(bounded(false, undefined)).toBe(false);
    expect(bounded({ age: 3600 }, undefined)).toBe(false);
    expect(bounded({ count: 1_000_000, age: 3600 }, undefined)).toBe(false);
  });
});
