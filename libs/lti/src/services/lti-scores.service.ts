import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { assertDeliverable, readTextCapped } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { type CourseCompletedEvent, LearningEventBus, LearningEventType } from '@hocso/learning';
import { JobName, QueueService } from '@hocso/queue';
import { DataSource } from 'typeorm';
import { AGS_SCORE_SCOPE, scoresUrl } from '../lti-claims';
import { LtiKeys } from './lti-keys.service';

/** Score passback retries with backoff (5 s, 10 s, 20 s … over about 5 minutes); failures are kept. */
export const LTI_SCORE_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { count: 5000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5000, age: 30 * 24 * 3600 },
};

const HTTP_TIMEOUT_MS = 10_000;
const CLIENT_ASSERTION_TTL_SECONDS = 300;
const SCORE_MEDIA_TYPE = 'application/vnd.ims.lis.v1.score+json';

interface Target {
  id: string;
  status: 'pending' | 'sent' | 'failed';
  score_given: string;
  score_maximum: string;
  completed_at: Date;
  platform_user_id: string;
  lineitem_url: string;
  platform_id: string;
  client_id: string;
  auth_token_url: string;
}

class PassbackError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
  ) {
    super(message);
  }
}

/**
 * AGS 2.0 score passback. A CourseCompleted event of an LTI enrollment writes one `lti_score` row per
 * graded resource link the learner launched for that course, then queues `send-lti-score` (jobId
 * `lti-score@<enrollment>`). The job gets an access token with a signed client assertion
 * (client_credentials, cached until it expires) and POSTs the score to `{lineitem}/scores`.
 * scoreGiven = the average of the best score of each quiz × 100 (100 when the course has no quiz).
 */
@Injectable()
export class LtiScoresService implements OnModuleInit {
  private readonly logger = new Logger('LtiScores');
  private readonly accessTokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: LearningEventBus,
    private readonly queues: QueueService,
    private readonly keys: LtiKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The platform names the line-item and token URLs: never let it point the worker at private or
   * loopback addresses in production (SSRF); tests and closed networks may allow them.
   */
  private guard(url: string): Promise<void> {
    return assertDeliverable(url, this.config.env !== 'production' || this.config.webhooks.allowPrivateNetworks);
  }

  onModuleInit() {
    this.bus.subscribe(LearningEventType.CourseCompleted, 'lti', (e) => this.onCourseCompleted(e));
  }

  /** Idempotent (redelivered events add no row and no second job while the first is kept). */
  async onCourseCompleted(e: CourseCompletedEvent): Promise<void> {
    const [enrollment] = await this.ds.query(`SELECT source FROM enrollment WHERE id = $1`, [e.enrollmentId]);
    if (enrollment?.source !== 'lti') return;
    if ((await this.prepare(e.enrollmentId)) === 0) return;
    await this.queues.add(
      JobName.SendLtiScore,
      { enrollmentId: e.enrollmentId },
      { ...LTI_SCORE_JOB_OPTIONS, jobId: `lti-score@${e.enrollmentId}` },
    );
  }

  /** A graded link launched after the course was completed: its line item gets the score too. */
  async queueForEnrollment(enrollmentId: string, resourceLinkUserId: string): Promise<void> {
    if ((await this.prepare(enrollmentId, resourceLinkUserId)) === 0) return;
    await this.queues.add(
      JobName.SendLtiScore,
      { enrollmentId },
      { ...LTI_SCORE_JOB_OPTIONS, jobId: `lti-score@${enrollmentId}@${resourceLinkUserId}` },
    );
  }

  /** Writes the score rows still missing; returns how many of the enrollment's scores are not sent. */
  private async prepare(enrollmentId: string, resourceLinkUserId?: string): Promise<number> {
    await this.ds.query(
      `WITH score AS (
         SELECT least(100, greatest(0, round((coalesce(avg(best), 1) * 100)::numeric, 2))) AS value
           FROM (SELECT max(score) AS best FROM quiz_attempt WHERE enrollment_id = $1 GROUP BY quiz_id) q
       )
       INSERT INTO lti_score (resource_link_user_id, enrollment_id, score_given, completed_at)
       SELECT lu.id, e.id, (SELECT value FROM score), e.completed_at
         FROM enrollment e
         JOIN lti_resource_link_user lu ON lu.user_id = e.user_id
         JOIN lti_resource_link rl ON rl.id = lu.resource_link_id AND rl.course_slug = e.course_slug
        WHERE e.id = $1 AND e.status = 'completed' AND e.completed_at IS NOT NULL
          AND rl.lineitem_url IS NOT NULL AND $2 = ANY(rl.ags_scopes)
          AND ($3::uuid IS NULL OR lu.id = $3::uuid)
       ON CONFLICT (resource_link_user_id, enrollment_id) DO NOTHING`,
      [enrollmentId, AGS_SCORE_SCOPE, resourceLinkUserId ?? null],
    );
    const [{ open }] = await this.ds.query(
      `SELECT count(*)::int AS open FROM lti_score WHERE enrollment_id = $1 AND status <> 'sent'`,
      [enrollmentId],
    );
    return open;
  }

  /** The job: every unsent score of the enrollment; throws (→ retry) while any was refused. */
  async send(enrollmentId: string): Promise<{ sent: number; failed: number; alreadySent: number }> {
    const targets: Target[] = await this.ds.query(
      `SELECT s.id, s.status, s.score_given, s.score_maximum, s.completed_at, lu.platform_user_id, rl.lineitem_url,
              p.id AS platform_id, p.client_id, p.auth_token_url
         FROM lti_score s
         JOIN lti_resource_link_user lu ON lu.id = s.resource_link_user_id
         JOIN lti_resource_link rl ON rl.id = lu.resource_link_id
         JOIN lti_platform p ON p.id = rl.platform_id
        WHERE s.enrollment_id = $1 AND rl.lineitem_url IS NOT NULL
        ORDER BY s.created_at`,
      [enrollmentId],
    );
    let sent = 0;
    let alreadySent = 0;
    const failures: string[] = [];
    for (const t of targets) {
      if (t.status === 'sent') {
        alreadySent++;
        continue;
      }
      try {
        const httpStatus = await this.post(t);
        await this.ds.query(
          `UPDATE lti_score SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_http_status = $2,
                  last_error = NULL, updated_at = now() WHERE id = $1`,
          [t.id, httpStatus],
        );
        sent++;
      } catch (err) {
        const message = (err as Error).message.slice(0, 500);
        const httpStatus = err instanceof PassbackError ? err.httpStatus : null;
        await this.ds.query(
          `UPDATE lti_score SET status = 'failed', attempts = attempts + 1, last_error = $2, last_http_status = $3,
                  updated_at = now() WHERE id = $1 AND status <> 'sent'`,
          [t.id, message, httpStatus],
        );
        this.logger.warn({ event: 'lti.score.failed', scoreId: t.id, platformId: t.platform_id, error: message });
        failures.push(message);
      }
    }
    if (failures.length) throw new Error(`${failures.length} LTI score(s) not accepted: ${failures.join('; ')}`);
    return { sent, failed: 0, alreadySent };
  }

  private async post(t: Target): Promise<number> {
    const token = await this.accessToken(t);
    await this.guard(scoresUrl(t.lineitem_url));
    const res = await fetch(scoresUrl(t.lineitem_url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': SCORE_MEDIA_TYPE },
      body: JSON.stringify({
        userId: t.platform_user_id,
        scoreGiven: Number(t.score_given),
        scoreMaximum: Number(t.score_maximum),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date(t.completed_at).toISOString(),
      }),
      redirect: 'error',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await readTextCapped(res);
    if (res.status === 401 || res.status === 403) this.accessTokens.delete(this.tokenKey(t));
    if (!res.ok) throw new PassbackError(`score endpoint answered ${res.status} ${text.slice(0, 200)}`, res.status);
    return res.status;
  }

  private tokenKey(t: Target) {
    return `${t.platform_id}|${AGS_SCORE_SCOPE}`;
  }

  /** OAuth 2.0 client_credentials with a JWT client assertion signed by the tool key (RFC 7523). */
  private async accessToken(t: Target): Promise<string> {
    const key = this.tokenKey(t);
    const cached = this.accessTokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const assertion = await this.keys.sign(
      {},
      {
        issuer: t.client_id,
        subject: t.client_id,
        audience: t.auth_token_url,
        ttlSeconds: CLIENT_ASSERTION_TTL_SECONDS,
      },
    );
    await this.guard(t.auth_token_url);
    const res = await fetch(t.auth_token_url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: AGS_SCORE_SCOPE,
      }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await readTextCapped(res);
    if (!res.ok) throw new PassbackError(`token endpoint answered ${res.status} ${text.slice(0, 200)}`, res.status);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      throw new PassbackError('token endpoint answered no JSON', res.status);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new PassbackError('token endpoint answered no access_token', res.status);
    }
    const expiresIn = Number(body.expires_in) > 0 ? Number(body.expires_in) : 3600;
    // renewed a minute early, so a token never expires in flight
    this.accessTokens.set(key, {
      token: body.access_token,
      expiresAt: Date.now() + Math.max(0, expiresIn - 60) * 1000,
    });
    return body.access_token;
  }
}
