/** Every BullMQ queue Hocso uses (DESIGN §6). Values are the queue names on the backend. */
export enum QueueName {
  Maintenance = 'maintenance',
  /** One job per enterprise training report (jobId = report id), plus the outbox sweeper. */
  TrainingReports = 'training-reports',
  /** Weekly compliance rollups, one job per enterprise-week (jobId = `enterpriseId:week`). */
  Compliance = 'compliance',
  /** Closes the past ISO week (Monday 00:10 Asia/Ho_Chi_Minh): snapshot + reminders. */
  WeeklyClose = 'weekly-close',
  /** E-mail (SMTP) and signed webhooks; retried with backoff, failures kept. */
  Notifications = 'notifications',
  /** Issue a certificate (jobId = holder@achievement: exactly one per holder and achievement), render its PDF. */
  Certificates = 'certificates',
  /** LTI Assignment and Grade Services: score passback to the platforms (jobId = lti-score@<enrollment>). */
  Lti = 'lti',
  /** KPI snapshots: refresh an open period's provisional figures (jobId = kpi-refresh@<period>). */
  Reporting = 'reporting',
}

/** Every job name; each belongs to exactly one queue and has exactly one handler in apps/worker. */
export enum JobName {
  /** Delete expired idempotency keys, refresh tokens and spent rate-limit rows. */
  PurgeExpired = 'purge-expired',
  /** Parse, validate and upsert one training report's sessions; record rejected rows. */
  ProcessTrainingReport = 'process-training-report',
  /** Outbox sweeper: re-add reports stuck in `received` (e.g. Redis was down at submission). */
  SweepTrainingReports = 'sweep-training-reports',
  /** Recompute one enterprise-week's worker minutes and compliance. */
  RecomputeCompliance = 'recompute-compliance',
  /** A user's minutes changed elsewhere (learning, cohorts): recompute the weeks of their workers. */
  WorkerMinutesChanged = 'worker-minutes-changed',
  /** Re-add recomputes for enterprise-weeks marked dirty whose job was lost or deduplicated away. */
  SweepCompliance = 'sweep-compliance',
  /** Close an ISO week: recompute every active enterprise, freeze the snapshot, queue reminders. */
  CloseComplianceWeek = 'close-compliance-week',
  /** E-mail a compliance reminder to an enterprise below the threshold. */
  SendComplianceReminder = 'send-compliance-reminder',
  /** POST one signed webhook delivery. */
  DeliverWebhook = 'deliver-webhook',
  /** Mint an account invitation's one-time link and code and send them (e-mail or SMS). */
  DeliverInvitation = 'deliver-invitation',
  /** Daily: start cohorts whose start date came, finish those whose end date passed. */
  AdvanceCohorts = 'advance-cohorts',
  /** Issue one Open Badges 3.0 credential for a completion or a trainer qualification, then its PDF. */
  IssueCertificate = 'issue-certificate',
  /** Every minute: forward new xAPI statements of each integrator's learners to its LRS. */
  ForwardXapiStatements = 'forward-xapi-statements',
  /** Send a completed LTI enrollment's score to the platform line items it is linked to (AGS). */
  SendLtiScore = 'send-lti-score',
  /** Recompute an open period's provisional KPI snapshot, or look for late data in a frozen one. */
  RefreshKpiSnapshot = 'refresh-kpi-snapshot',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PurgeExpired]: QueueName.Maintenance,
  [JobName.ProcessTrainingReport]: QueueName.TrainingReports,
  [JobName.SweepTrainingReports]: QueueName.TrainingReports,
  [JobName.RecomputeCompliance]: QueueName.Compliance,
  [JobName.WorkerMinutesChanged]: QueueName.Compliance,
  [JobName.SweepCompliance]: QueueName.Compliance,
  [JobName.CloseComplianceWeek]: QueueName.WeeklyClose,
  [JobName.SendComplianceReminder]: QueueName.Notifications,
  [JobName.DeliverWebhook]: QueueName.Notifications,
  [JobName.DeliverInvitation]: QueueName.Notifications,
  [JobName.AdvanceCohorts]: QueueName.Maintenance,
  [JobName.IssueCertificate]: QueueName.Certificates,
  [JobName.ForwardXapiStatements]: QueueName.Maintenance,
  [JobName.SendLtiScore]: QueueName.Lti,
  [JobName.RefreshKpiSnapshot]: QueueName.Reporting,
};
