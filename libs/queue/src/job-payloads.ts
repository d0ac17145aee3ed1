import { JobName } from './queue-name.enum';

/**
 * Payload of each job. Only ids and keys go into jobs — never names, phones or other personal data
 * (job data is stored in clear text on the backend).
 */
export interface JobPayloads {
  [JobName.PurgeExpired]: {
    /** ISO instant treated as "now" (tests); defaults to the time the job runs */ now?: string;
  };
  [JobName.ProcessTrainingReport]: { reportId: string };
  [JobName.SweepTrainingReports]: {
    /** reports received more than this many seconds ago are re-added (default 30) */ olderThanSeconds?: number;
  };
  [JobName.RecomputeCompliance]: {
    enterpriseId: string;
    isoWeek: string;
    /** the change (requested_seq) this job is for; already computed ⇒ the job returns at once */ seq?: number;
  };
  [JobName.WorkerMinutesChanged]: { userId: string; localDates: string[] };
  [JobName.SweepCompliance]: { olderThanSeconds?: number };
  [JobName.CloseComplianceWeek]: {
    /** YYYY-Www; defaults to the ISO week before the one the job runs in (Asia/Ho_Chi_Minh) */ isoWeek?: string;
  };
  [JobName.SendComplianceReminder]: { notificationId: string };
  [JobName.DeliverWebhook]: { notificationId: string };
  [JobName.DeliverInvitation]: { invitationId: string };
  [JobName.AdvanceCohorts]: {
    /** YYYY-MM-DD treated as today (tests); defaults to today in Asia/Ho_Chi_Minh */ today?: string;
  };
  [JobName.IssueCertificate]: { kind: 'course'; enrollmentId: string } | { kind: 'trainer'; qualificationId: string };
  [JobName.ForwardXapiStatements]: {
    /** one integrator only (tests); default every integrator with an LRS */ integratorId?: string;
  };
  [JobName.SendLtiScore]: { enrollmentId: string };
  [JobName.RefreshKpiSnapshot]: { period: string; refreeze?: { by: string; reason: string } };
}

export type JobOf<N extends JobName> = JobPayloads[N];

export interface JobResults {
  [JobName.PurgeExpired]: {
    idempotencyKeys: number;
    refreshTokens: number;
    /** account invitations spent or dead for 30 days */
    invitations: number;
    /** LTI login states and deep-linking sessions past their expiry */
    ltiStates: number;
    /** learning logs past LEARNING_RETENTION_DAYS */
    progressEvents: number;
    xapiStatements: number;
    /** learning domain events (CourseCompleted …) delivered late */
    learningEventsDelivered: number;
  };
  [JobName.ProcessTrainingReport]: {
    status: 'done' | 'failed';
    totalRows: number;
    acceptedRows: number;
    rejectedRows: number;
    weeks: string[];
  };
  [JobName.SweepTrainingReports]: { requeued: number };
  [JobName.RecomputeCompliance]: { rounds: number; activeWorkers: number; coveredWorkers: number; compliant: boolean };
  [JobName.WorkerMinutesChanged]: { queued: number };
  [JobName.SweepCompliance]: { requeued: number };
  [JobName.CloseComplianceWeek]: {
    isoWeek: string;
    enterprises: number;
    compliant: number;
    reminders: number;
    /** KPI snapshots frozen with the week (the week and any month/quarter/year ending in it) */
    kpis?: { frozen: string[]; lateRows: number };
  };
  [JobName.SendComplianceReminder]: { status: 'sent' | 'skipped'; recipients: number };
  [JobName.DeliverWebhook]: { status: 'delivered' | 'skipped'; httpStatus?: number };
  [JobName.DeliverInvitation]: { status: 'sent' | 'logged' | 'not_sent' | 'skipped'; channel: 'email' | 'sms' | null };
  [JobName.AdvanceCohorts]: { started: number; finished: number };
  [JobName.IssueCertificate]: {
    status: 'issued' | 'exists' | 'not_eligible';
    certificateId: string | null;
    reason?: string;
  };
  [JobName.ForwardXapiStatements]: { integrators: number; sent: number; failed: number };
  [JobName.SendLtiScore]: { sent: number; failed: number; alreadySent: number };
  [JobName.RefreshKpiSnapshot]: { period: string; status: 'provisional' | 'frozen'; rows: number; lateRows: number };
}

export type JobResultOf<N extends JobName> = JobResults[N];
