import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { IntegratorsService } from '@hocso/embed';
import { AuthService, normalizeEmail, type TokenPair, UserEntity, UserStatus } from '@hocso/identity';
import { CourseContentReader, EnrollmentSource, EnrollmentsService, EnrollmentStatus } from '@hocso/learning';
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import {
  LtiDeepLinkSessionEntity,
  LtiLoginStateEntity,
  LtiPlatformEntity,
  LtiUserEntity,
} from '../entities/lti.entities';
import {
  AGS_SCORE_SCOPE,
  checkAudience,
  embedUrl,
  fullNameFrom,
  isAcceptableUrl,
  isOwnUrl,
  LTI,
  LTI_VERSION,
  type LtiTarget,
  LtiMessageType,
  localeFrom,
  mayPickContent,
  parseTarget,
} from '../lti-claims';
import { LtiException, LtiExceptionCode } from '../lti.exception';
import { LtiCatalogue, type PickerCourse } from './lti-catalogue';
import { LtiScoresService } from './lti-scores.service';

/** How long an OIDC login (state + nonce) may take to come back as a launch. */
export const LOGIN_STATE_TTL_SECONDS = 600;
/** How long an instructor may take in the deep-linking picker. */
export const DEEP_LINK_SESSION_TTL_SECONDS = 1800;
/** Clock skew tolerated on exp / iat / nbf. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** An id_token issued longer ago than the login state lives is stale (bounds nonce storage too). */
const MAX_TOKEN_AGE_SECONDS = LOGIN_STATE_TTL_SECONDS;
/** A platform rotating its keys: an unknown kid refetches its JWKS, at most once per this period. */
const JWKS_COOLDOWN_MS = 5_000;
const JWKS_CACHE_MS = 10 * 60_000;
const MAX_PARAM = 4096;
const MAX_TOKEN = 64 * 1024;

export interface LoginParams {
  iss?: unknown;
  login_hint?: unknown;
  target_link_uri?: unknown;
  lti_message_hint?: unknown;
  client_id?: unknown;
  lti_deployment_id?: unknown;
}

export type LaunchOutcome =
  | {
      kind: 'resource_link';
      userId: string;
      accountCreated: boolean;
      tokens: TokenPair;
      targetUrl: string;
      locale: 'vi' | 'en';
      resourceLinkId: string;
      enrollmentId: string;
    }
  | {
      kind: 'deep_linking';
      userId: string;
      accountCreated: boolean;
      /** single-use token for POST /lti/deep-linking/response (only its hash is stored) */
      sessionToken: string;
      locale: 'vi' | 'en';
      acceptMultiple: boolean;
      acceptLineItem: boolean;
      courses: PickerCourse[];
    };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');
const param = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_PARAM ? v : undefined;
const rows = <T>(result: unknown): T[] =>
  (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/;

/**
 * LTI 1.3 Core as a Tool: OIDC third-party-initiated login (state + single-use nonce kept
 * server-side — no cookies, which LMS iframes block) and the launch: the id_token is checked per the
 * 1EdTech Security Framework (RS256 against the platform's JWKS by kid, iss, aud/azp, exp/iat,
 * nonce, deployment, version, message type), the platform user is mapped to a Hocso learner account
 * (never linked to an existing account by e-mail), enrolled, and signed in.
 */
@Injectable()
export class LtiLaunchService {
  private readonly logger = new Logger('Lti');
  private readonly jwksByPlatform = new Map<string, { url: string; set: ReturnType<typeof createRemoteJWKSet> }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly enrollments: EnrollmentsService,
    private readonly content: CourseContentReader,
    private readonly catalogue: LtiCatalogue,
    private readonly scores: LtiScoresService,
    private readonly integrators: IntegratorsService,
  ) {}

  /** A launch through an integrator's platform: the learner is one of its learners (xAPI), the launch counted. */
  private async countLaunch(platform: { integratorId: string | null }, userId: string): Promise<void> {
    if (!platform.integratorId) return;
    await this.integrators.recordLearner(platform.integratorId, userId, 'lti');
    this.integrators.recordUsage(platform.integratorId, 'lti_launch');
  }

  /** Maintenance: login states and deep-linking sessions past their expiry (single-use, short-lived). */
  async purgeExpired(now = new Date()): Promise<number> {
    const states: unknown[] = await this.ds.query(`DELETE FROM lti_login_state WHERE expires_at < $1 RETURNING 1`, [
      now,
    ]);
    const sessions: unknown[] = await this.ds.query(
      `DELETE FROM lti_deep_link_session WHERE expires_at < $1 RETURNING 1`,
      [now],
    );
    const count = (r: unknown[]) => ((Array.isArray(r[0]) ? r[0] : r) as unknown[]).length;
    return count(states) + count(sessions);
  }

  private get publicUrl() {
    return this.config.http.publicUrl;
  }

  // ---------------------------------------------------------------- login initiation

  /** OIDC login initiation: remembers state + nonce and returns the platform auth URL to redirect to. */
  async login(params: LoginParams): Promise<{ redirectUrl: string }> {
    const iss = param(params.iss);
    const loginHint = param(params.login_hint);
    const target = param(params.target_link_uri);
    if (!iss || !loginHint || !target) {
      throw new LtiException(LtiExceptionCode.LTI_LOGIN_INVALID, {
        field: !iss ? 'iss' : !loginHint ? 'login_hint' : 'target_link_uri',
      });
    }
    const clientId = params.client_id === undefined ? undefined : param(params.client_id);
    const deploymentId = params.lti_deployment_id === undefined ? undefined : param(params.lti_deployment_id);
    const messageHint = params.lti_message_hint === undefined ? undefined : param(params.lti_message_hint);
    if (
      (params.client_id !== undefined && !clientId) ||
      (params.lti_deployment_id !== undefined && !deploymentId) ||
      (params.lti_message_hint !== undefined && !messageHint)
    ) {
      throw new LtiException(LtiExceptionCode.LTI_LOGIN_INVALID);
    }
    const platforms = await this.ds
      .getRepository(LtiPlatformEntity)
      .findBy(clientId === undefined ? { issuer: iss } : { issuer: iss, clientId });
    if (platforms.length === 0) {
      this.reject('login', LtiExceptionCode.LTI_PLATFORM_UNKNOWN, { issuer: iss, clientId });
    }
    if (platforms.length > 1) this.reject('login', LtiExceptionCode.LTI_PLATFORM_AMBIGUOUS, { issuer: iss });
    const platform = platforms[0];
    if (deploymentId !== undefined && !platform.deploymentIds.includes(deploymentId)) {
      this.reject('login', LtiExceptionCode.LTI_DEPLOYMENT_UNKNOWN, { platformId: platform.id }, 'lti_deployment_id');
    }
    if (!isOwnUrl(this.publicUrl, target)) {
      this.reject('login', LtiExceptionCode.LTI_TARGET_INVALID, { platformId: platform.id }, 'target_link_uri');
    }

    const state = randomToken();
    const nonce = randomToken();
    const repo = this.ds.getRepository(LtiLoginStateEntity);
    // Spent and abandoned logins go as new ones come (cheap: indexed on expires_at).
    await repo.createQueryBuilder().delete().where(`expires_at < now() - interval '1 hour'`).execute();
    await repo.insert({
      state,
      nonce,
      platformId: platform.id,
      loginHint,
      ltiMessageHint: messageHint ?? null,
      targetLinkUri: target,
      deploymentId: deploymentId ?? null,
      expiresAt: new Date(Date.now() + LOGIN_STATE_TTL_SECONDS * 1000),
      usedAt: null,
    });

    const url = new URL(platform.authLoginUrl);
    const q = url.searchParams;
    q.set('scope', 'openid');
    q.set('response_type', 'id_token');
    q.set('response_mode', 'form_post');
    q.set('prompt', 'none');
    q.set('client_id', platform.clientId);
    q.set('redirect_uri', `${this.publicUrl}/lti/launch`);
    // passed back unaltered
    q.set('login_hint', loginHint);
    if (messageHint !== undefined) q.set('lti_message_hint', messageHint);
    q.set('state', state);
    q.set('nonce', nonce);
    return { redirectUrl: url.toString() };
  }

  // ---------------------------------------------------------------- launch

  async launch(form: { id_token?: unknown; state?: unknown }): Promise<LaunchOutcome> {
    const stateValue = typeof form.state === 'string' && form.state.length <= 256 ? form.state : undefined;
    if (!stateValue) this.reject('launch', LtiExceptionCode.LTI_STATE_INVALID, {}, 'state');
    const login = await this.ds.getRepository(LtiLoginStateEntity).findOneBy({ state: stateValue as string });
    if (!login) this.reject('launch', LtiExceptionCode.LTI_STATE_INVALID, {}, 'state');
    const state = login as LtiLoginStateEntity;
    const ctx = { platformId: state.platformId };
    if (state.expiresAt.getTime() <= Date.now())
      this.reject('launch', LtiExceptionCode.LTI_STATE_EXPIRED, ctx, 'state');
    const token = form.id_token;
    if (typeof token !== 'string' || !token) this.reject('launch', LtiExceptionCode.LTI_CLAIM_MISSING, ctx, 'id_token');
    if ((token as string).length > MAX_TOKEN)
      this.reject('launch', LtiExceptionCode.LTI_TOKEN_MALFORMED, ctx, 'id_token');
    const platform = await this.ds.getRepository(LtiPlatformEntity).findOneByOrFail({ id: state.platformId });

    const payload = await this.verify(token as string, platform, ctx);
    const trusted = (await this.ds.getRepository(LtiPlatformEntity).findBy({ issuer: platform.issuer })).map(
      (p) => p.clientId,
    );
    this.guard(ctx, () => checkAudience(payload, platform.clientId, trusted));

    // The nonce binds the token to this login; the login is spent exactly once.
    if (typeof payload.nonce !== 'string' || !payload.nonce)
      this.reject('launch', LtiExceptionCode.LTI_NONCE_MISSING, ctx);
    if (!sameSecret(payload.nonce as string, state.nonce))
      this.reject('launch', LtiExceptionCode.LTI_NONCE_MISMATCH, ctx);
    const spent = rows<{ state: string }>(
      await this.ds.query(
        `UPDATE lti_login_state SET used_at = now() WHERE state = $1 AND used_at IS NULL RETURNING state`,
        [state.state],
      ),
    );
    if (!spent.length) this.reject('launch', LtiExceptionCode.LTI_NONCE_REPLAYED, ctx);

    if (payload[LTI.version] !== LTI_VERSION)
      this.reject('launch', LtiExceptionCode.LTI_VERSION_UNSUPPORTED, ctx, LTI.version);
    const messageType = payload[LTI.messageType];
    if (messageType !== LtiMessageType.ResourceLink && messageType !== LtiMessageType.DeepLinking) {
      this.reject('launch', LtiExceptionCode.LTI_MESSAGE_TYPE_UNSUPPORTED, ctx, LTI.messageType);
    }
    const deploymentId = payload[LTI.deploymentId];
    if (
      typeof deploymentId !== 'string' ||
      !platform.deploymentIds.includes(deploymentId) ||
      (state.deploymentId !== null && state.deploymentId !== deploymentId)
    ) {
      this.reject('launch', LtiExceptionCode.LTI_DEPLOYMENT_UNKNOWN, ctx, LTI.deploymentId);
    }
    if (typeof payload.sub !== 'string' || !payload.sub || payload.sub.length > 255) {
      this.reject('launch', LtiExceptionCode.LTI_SUBJECT_MISSING, ctx, 'sub');
    }

    return messageType === LtiMessageType.DeepLinking
      ? this.deepLinkingLaunch(platform, deploymentId as string, payload)
      : this.resourceLinkLaunch(platform, deploymentId as string, payload, state.targetLinkUri);
  }

  private async resourceLinkLaunch(
    platform: LtiPlatformEntity,
    deploymentId: string,
    payload: JWTPayload,
    loginTarget: string,
  ): Promise<LaunchOutcome> {
    const ctx = { platformId: platform.id };
    const link = payload[LTI.resourceLink] as { id?: unknown; title?: unknown } | undefined;
    const linkId = typeof link?.id === 'string' && link.id.length <= 255 ? link.id : undefined;
    if (!linkId) this.reject('launch', LtiExceptionCode.LTI_CLAIM_MISSING, ctx, `${LTI.resourceLink}.id`);
    // the signed claim first; the login's target_link_uri only when the platform left the claim out
    const target = parseTarget(this.publicUrl, payload[LTI.targetLinkUri] ?? loginTarget, payload[LTI.custom]);
    const resolved = target ? await this.resolveTarget(target) : null;
    if (!target || !resolved) this.reject('launch', LtiExceptionCode.LTI_TARGET_UNKNOWN, ctx, LTI.targetLinkUri);

    const { userId, created } = await this.mapUser(platform, payload);
    await this.countLaunch(platform, userId);
    const context = payload[LTI.context] as { id?: unknown; title?: unknown } | undefined;
    const ags = payload[LTI.agsEndpoint] as { scope?: unknown; lineitem?: unknown; lineitems?: unknown } | undefined;
    const production = this.config.env === 'production';
    const scopes = Array.isArray(ags?.scope) ? ags.scope.filter((s): s is string => typeof s === 'string') : [];
    const lineitem = isAcceptableUrl(ags?.lineitem, production) ? ags.lineitem : null;
    const lineitems = isAcceptableUrl(ags?.lineitems, production) ? ags.lineitems : null;
    const text = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 500) : null);

    const [{ id: resourceLinkId }] = rows<{ id: string }>(
      await this.ds.query(
        `INSERT INTO lti_resource_link (platform_id, deployment_id, resource_link_id, context_id, context_title, title,
                                        course_slug, lesson_id, lineitem_url, lineitems_url, ags_scopes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (platform_id, deployment_id, resource_link_id) DO UPDATE SET
           context_id = excluded.context_id, context_title = excluded.context_title, title = excluded.title,
           course_slug = excluded.course_slug, lesson_id = excluded.lesson_id, lineitem_url = excluded.lineitem_url,
           lineitems_url = excluded.lineitems_url, ags_scopes = excluded.ags_scopes, updated_at = now()
         RETURNING id`,
        [
          platform.id,
          deploymentId,
          linkId,
          text(context?.id),
          text(context?.title),
          text(link?.title),
          (resolved as { slug: string }).slug,
          target?.kind === 'lesson' ? target.lessonId : null,
          lineitem,
          lineitems,
          scopes,
        ],
      ),
    );
    const [{ id: linkUserId }] = rows<{ id: string }>(
      await this.ds.query(
        `INSERT INTO lti_resource_link_user (resource_link_id, user_id, platform_user_id) VALUES ($1, $2, $3)
         ON CONFLICT (resource_link_id, user_id) DO UPDATE SET last_launch_at = now(), platform_user_id = excluded.platform_user_id
         RETURNING id`,
        [resourceLinkId, userId, payload.sub],
      ),
    );
    const { enrollment } = await this.enrollments.enrollUser(
      userId,
      (resolved as { slug: string }).slug,
      EnrollmentSource.Lti,
      resourceLinkId,
    );
    // Completed before this (graded) link was first launched: its line item gets the score too.
    if (enrollment.status === EnrollmentStatus.Completed && lineitem && scopes.includes(AGS_SCORE_SCOPE)) {
      await this.scores.queueForEnrollment(enrollment.id, linkUserId);
    }
    const tokens = await this.auth.issueTokensFor(userId);
    this.logger.log({
      event: 'lti.launch',
      messageType: LtiMessageType.ResourceLink,
      platformId: platform.id,
      userId,
      accountCreated: created,
      resourceLinkId,
    });
    return {
      kind: 'resource_link',
      userId,
      accountCreated: created,
      tokens,
      targetUrl: embedUrl(this.publicUrl, target as LtiTarget),
      locale: localeFrom(payload),
      resourceLinkId,
      enrollmentId: enrollment.id,
    };
  }

  private async deepLinkingLaunch(
    platform: LtiPlatformEntity,
    deploymentId: string,
    payload: JWTPayload,
  ): Promise<LaunchOutcome> {
    const ctx = { platformId: platform.id };
    if (!mayPickContent(payload[LTI.roles])) this.reject('launch', LtiExceptionCode.LTI_DEEP_LINKING_FORBIDDEN, ctx);
    const settings = payload[LTI.deepLinkingSettings] as Record<string, unknown> | undefined;
    const returnUrl = settings?.deep_link_return_url;
    const acceptTypes = settings?.accept_types;
    if (
      !settings ||
      typeof settings !== 'object' ||
      !isAcceptableUrl(returnUrl, this.config.env === 'production') ||
      (acceptTypes !== undefined && (!Array.isArray(acceptTypes) || !acceptTypes.includes('ltiResourceLink')))
    ) {
      this.reject('launch', LtiExceptionCode.LTI_DEEP_LINKING_SETTINGS_INVALID, ctx, LTI.deepLinkingSettings);
    }
    const s = settings as Record<string, unknown>;
    const targets = s.accept_presentation_document_targets;
    const { userId, created } = await this.mapUser(platform, payload);
    await this.countLaunch(platform, userId);
    const sessionToken = randomToken();
    const repo = this.ds.getRepository(LtiDeepLinkSessionEntity);
    await repo.createQueryBuilder().delete().where(`expires_at < now() - interval '1 hour'`).execute();
    await repo.insert({
      tokenHash: sha256(sessionToken),
      platformId: platform.id,
      deploymentId,
      userId,
      returnUrl: returnUrl as string,
      data: s.data === undefined ? null : JSON.stringify(s.data),
      acceptMultiple: s.accept_multiple === true,
      acceptLineItem: s.accept_lineitem !== false,
      acceptIframe: Array.isArray(targets) && targets.includes('iframe'),
      expiresAt: new Date(Date.now() + DEEP_LINK_SESSION_TTL_SECONDS * 1000),
      usedAt: null,
    });
    this.logger.log({
      event: 'lti.launch',
      messageType: LtiMessageType.DeepLinking,
      platformId: platform.id,
      userId,
      accountCreated: created,
    });
    return {
      kind: 'deep_linking',
      userId,
      accountCreated: created,
      sessionToken,
      locale: localeFrom(payload),
      acceptMultiple: s.accept_multiple === true,
      acceptLineItem: s.accept_lineitem !== false,
      courses: await this.catalogue.courses(),
    };
  }

  // ---------------------------------------------------------------- token verification

  private jwks(platform: LtiPlatformEntity) {
    const cached = this.jwksByPlatform.get(platform.id);
    if (cached && cached.url === platform.jwksUrl) return cached.set;
    const set = createRemoteJWKSet(new URL(platform.jwksUrl), {
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_CACHE_MS,
      timeoutDuration: 5_000,
    });
    this.jwksByPlatform.set(platform.id, { url: platform.jwksUrl, set });
    return set;
  }

  /** Signature (RS256, platform JWKS by kid), iss, exp, iat — each failure with its own code. */
  private async verify(token: string, platform: LtiPlatformEntity, ctx: Record<string, unknown>): Promise<JWTPayload> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return this.reject('launch', LtiExceptionCode.LTI_TOKEN_MALFORMED, ctx, 'id_token');
    }
    if (header.alg !== 'RS256') this.reject('launch', LtiExceptionCode.LTI_ALGORITHM_UNSUPPORTED, ctx, 'id_token');
    // Key sets must use kid; a token without one matches nothing we trust.
    if (typeof header.kid !== 'string' || !header.kid) this.reject('launch', LtiExceptionCode.LTI_KEY_UNKNOWN, ctx);
    try {
      const { payload } = await jwtVerify(token, this.jwks(platform), {
        algorithms: ['RS256'],
        issuer: platform.issuer,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        requiredClaims: ['exp', 'iat'],
      });
      return payload;
    } catch (err) {
      return this.reject('launch', joseErrorCode(err), { ...ctx, reason: (err as Error).message }, joseErrorField(err));
    }
  }

  // ---------------------------------------------------------------- accounts

  /**
   * The Hocso account of a platform user: the mapping (platform, sub) if there is one, else a new
   * learner account — with the platform's e-mail only if no Hocso account has it (never linked).
   */
  private async mapUser(
    platform: LtiPlatformEntity,
    payload: JWTPayload,
  ): Promise<{ userId: string; created: boolean }> {
    const sub = payload.sub as string;
    const existing = await this.findMapping(this.ds.manager, platform.id, sub);
    if (existing) return { userId: existing, created: false };
    const rawEmail = typeof payload.email === 'string' ? normalizeEmail(payload.email) : '';
    let email = rawEmail.length <= 254 && EMAIL.test(rawEmail) ? rawEmail : null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const userId = await this.ds.transaction(async (em) => {
          if (email && (await em.query(`SELECT 1 FROM app_user WHERE email = $1`, [email])).length) email = null;
          const user = await em.save(
            em.create(UserEntity, {
              email,
              phone: null,
              passwordHash: null,
              fullName: fullNameFrom(payload),
              locale: localeFrom(payload),
              orgUnitId: null,
              birthYear: null,
              // least privilege: a learner, whatever the platform roles say
              roles: [Role.Learner],
              status: UserStatus.Active,
            }),
          );
          await em.insert(LtiUserEntity, { platformId: platform.id, sub, userId: user.id, lastLaunchAt: new Date() });
          return user.id;
        });
        return { userId, created: true };
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'UQ_lti_user_platform_sub') {
          // a concurrent first launch of the same user won
          const winner = await this.findMapping(this.ds.manager, platform.id, sub);
          if (winner) return { userId: winner, created: false };
        } else if (constraint === 'UQ_app_user_email') {
          email = null; // taken meanwhile: create the account without it
          continue;
        }
        throw err;
      }
    }
    throw new Error('could not create the LTI account');
  }

  private async findMapping(em: EntityManager, platformId: string, sub: string): Promise<string | null> {
    const found = rows<{ user_id: string; status: UserStatus }>(
      await em.query(
        `UPDATE lti_user m SET last_launch_at = now() FROM app_user u
          WHERE m.platform_id = $1 AND m.sub = $2 AND u.id = m.user_id
          RETURNING m.user_id, u.status`,
        [platformId, sub],
      ),
    );
    if (!found.length) return null;
    if (found[0].status !== UserStatus.Active) {
      this.reject('launch', LtiExceptionCode.LTI_ACCOUNT_DISABLED, { platformId, userId: found[0].user_id });
    }
    return found[0].user_id;
  }

  /** A course target must be published; a lesson target resolves to its (published) course. */
  private async resolveTarget(target: LtiTarget): Promise<{ slug: string } | null> {
    if (target.kind === 'course') {
      const course = await this.content.publishedCourse(target.slug);
      return course ? { slug: course.slug } : null;
    }
    const [row] = await this.ds.query(
      `SELECT c.slug FROM course_lesson l
         JOIN course_version v ON v.id = l.version_id
         JOIN course c ON c.id = v.course_id
        WHERE l.id = $1 AND c.status = 'published' AND c.latest_version_id IS NOT NULL`,
      [target.lessonId],
    );
    return row ? { slug: row.slug as string } : null;
  }

  // ---------------------------------------------------------------- errors

  private guard(ctx: Record<string, unknown>, check: () => void) {
    try {
      check();
    } catch (err) {
      if (err instanceof LtiException) this.log(err.code, ctx);
      throw err;
    }
  }

  /** Every rejection is logged (who, which platform, why) and thrown with its code. */
  private reject(
    stage: 'login' | 'launch',
    code: LtiExceptionCode,
    ctx: Record<string, unknown>,
    field?: string,
  ): never {
    this.log(code, { ...ctx, stage });
    throw new LtiException(code, field ? { field } : {});
  }

  private log(code: LtiExceptionCode, ctx: Record<string, unknown>) {
    this.logger.warn({ event: 'lti.rejected', code, ...ctx });
  }
}

function uniqueViolation(err: unknown): string | null {
  if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
    return (err.driverError as { constraint?: string }).constraint ?? '';
  }
  return null;
}

/** jose's verification errors → our codes. Errors that are not jose's come from fetching the JWKS. */
export function joseErrorCode(err: unknown): LtiExceptionCode {
  if (err instanceof errors.JOSEAlgNotAllowed) return LtiExceptionCode.LTI_ALGORITHM_UNSUPPORTED;
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return LtiExceptionCode.LTI_KEY_UNKNOWN;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return LtiExceptionCode.LTI_SIGNATURE_INVALID;
  if (err instanceof errors.JWTExpired) {
    return err.claim === 'exp' ? LtiExceptionCode.LTI_TOKEN_EXPIRED : LtiExceptionCode.LTI_TOKEN_STALE;
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return LtiExceptionCode.LTI_CLAIM_MISSING;
    if (err.claim === 'iss') return LtiExceptionCode.LTI_ISSUER_MISMATCH;
    if (err.claim === 'iat' || err.claim === 'nbf') return LtiExceptionCode.LTI_TOKEN_STALE;
    return LtiExceptionCode.LTI_CLAIM_MISSING;
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return LtiExceptionCode.LTI_TOKEN_MALFORMED;
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return LtiExceptionCode.LTI_PLATFORM_KEYS_UNAVAILABLE;
  }
  if (err instanceof errors.JWKInvalid || err instanceof errors.JOSENotSupported) {
    return LtiExceptionCode.LTI_SIGNATURE_INVALID;
  }
  // the generic JOSEError of a non-200 JWKS answer, or fetch's own TypeError
  return LtiExceptionCode.LTI_PLATFORM_KEYS_UNAVAILABLE;
}

function joseErrorField(err: unknown): string | undefined {
  if (err instanceof errors.JWTClaimValidationFailed || err instanceof errors.JWTExpired) return err.claim;
  return undefined;
}
