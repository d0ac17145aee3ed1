import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { OrgUnitKind } from '@hocso/identity';
import { AGS_SCORE_SCOPE, LTI } from '@hocso/lti';
import { QueueName, QueueService } from '@hocso/queue';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { completeCourse, waitFor } from './cohort-helpers';
import { PlatformEmulator } from './fixtures/lti-platform';

const FIXTURE = join(__dirname, 'fixtures/cohort-content');
const COURSE = 'lop-thu-nghiem';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

describe('LTI 1.3 tool: registration, OIDC login, launch, Deep Linking 2.0, AGS score passback', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: Session;
  let emu: PlatformEmulator;
  let publicUrl: string;
  let platformId: string;
  let lessonId: string;

  beforeAll(async () => {
    t = await createTestApp({ worker: true });
    ds = t.app.get(DataSource);
    publicUrl = t.config.http.publicUrl;
    expect((await t.app.get(CourseImportService).importDirectory(FIXTURE)).counts.rejected).toBe(0);
    const f = new Factories(t);
    admin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await f.province() });
    emu = await PlatformEmulator.start(async () => (await t.http().get('/lti/jwks').expect(200)).body);
    const res = await admin.agent
      .post('/v1/lti/platforms')
      .send({
        issuer: emu.issuer,
        clientId: emu.clientId,
        deploymentIds: [emu.deploymentId],
        authLoginUrl: emu.authLoginUrl,
        authTokenUrl: emu.authTokenUrl,
        jwksUrl: emu.jwksUrl,
      })
      .expect(201);
    platformId = res.body.id;
    lessonId = (await t.http().get(`/v1/courses/${COURSE}`).expect(200)).body.modules[0].lessons[0].id;
  });
  afterAll(async () => {
    await emu?.close();
    await t?.close();
  });

  // ------------------------------------------------------------------ helpers

  /** OIDC login initiation as the platform's browser does it; returns the state and nonce we got. */
  async function login(extra: Record<string, string> = {}) {
    const res = await t
      .http()
      .get('/lti/login')
      .query({
        iss: emu.issuer,
        login_hint: 'hint-42',
        target_link_uri: `${publicUrl}/embed/courses/${COURSE}`,
        lti_message_hint: 'msg+hint/é',
        client_id: emu.clientId,
        ...extra,
      })
      .expect(302);
    const location = new URL(res.headers.location);
    return {
      state: location.searchParams.get('state') as string,
      nonce: location.searchParams.get('nonce') as string,
      location,
      res,
    };
  }

  function claims(nonce: string, overrides: Record<string, unknown> = {}): JWTPayload {
    return {
      iss: emu.issuer,
      aud: emu.clientId,
      sub: `user-${randomBytes(4).toString('hex')}`,
      nonce,
      name: 'Trần Thị Bình',
      [LTI.messageType]: 'LtiResourceLinkRequest',
      [LTI.version]: '1.3.0',
      [LTI.deploymentId]: emu.deploymentId,
      [LTI.targetLinkUri]: `${publicUrl}/embed/courses/${COURSE}`,
      [LTI.resourceLink]: { id: `rl-${randomBytes(3).toString('hex')}`, title: 'Bài học số' },
      [LTI.roles]: [LEARNER],
      [LTI.context]: { id: 'ctx-10a', title: 'Lớp 10A' },
      [LTI.agsEndpoint]: {
        scope: [AGS_SCORE_SCOPE, 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'],
        lineitem: emu.lineitem('1'),
        lineitems: `${emu.url}/lineitems`,
      },
      ...overrides,
    };
  }

  const post = (idToken: string, state: string) =>
    t.http().post('/lti/launch').type('form').send({ id_token: idToken, state });

  /** A complete, valid launch; returns the page and the session it hands to the embed page. */
  async function launchAs(overrides: Record<string, unknown> = {}) {
    const { state, nonce } = await login();
    const c = claims(nonce, overrides);
    const res = await post(await emu.mint(c), state);
    expect(res.status).toBe(200);
    const m = /sessionStorage\['hocso\.session'\]=JSON\.stringify\((\{.*?\})\);/.exec(res.text);
    expect(m).not.toBeNull();
    const session = JSON.parse((m as RegExpExecArray)[1]) as {
      accessToken: string;
      refreshToken: string;
      expiresAt: number;
    };
    const userId = decodeJwt(session.accessToken).sub as string;
    return { res, claims: c, session, userId, agent: t.http().set('Authorization', `Bearer ${session.accessToken}`) };
  }

  /** Each negative case: a fresh login, a token built from it, and the expected rejection. */
  async function expectRejected(
    build: (l: { state: string; nonce: string }) => Promise<{ token: string; state?: string }>,
    status: number,
    code: string,
  ) {
    const l = await login();
    const { token, state } = await build(l);
    const res = await post(token, state ?? l.state);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res;
  }

  // ------------------------------------------------------------------ registration and keys

  it('registers platforms (province admins only; unique issuer + client_id; checked URLs and integrator)', async () => {
    const list = (await admin.agent.get('/v1/lti/platforms').expect(200)).body;
    expect(list).toEqual([
      expect.objectContaining({
        id: platformId,
        issuer: emu.issuer,
        clientId: emu.clientId,
        deploymentIds: [emu.deploymentId],
        integratorId: null,
        tool: {
          loginUrl: `${publicUrl}/lti/login`,
          launchUrl: `${publicUrl}/lti/launch`,
          deepLinkingUrl: `${publicUrl}/lti/launch`,
          jwksUrl: `${publicUrl}/lti/jwks`,
        },
      }),
    ]);
    const body = {
      issuer: emu.issuer,
      clientId: emu.clientId,
      deploymentIds: ['d'],
      authLoginUrl: emu.authLoginUrl,
      authTokenUrl: emu.authTokenUrl,
      jwksUrl: emu.jwksUrl,
    };
    expect((await admin.agent.post('/v1/lti/platforms').send(body).expect(409)).body.code).toBe('LTI_PLATFORM_EXISTS');
    const bad = await admin.agent
      .post('/v1/lti/platforms')
      .send({ ...body, clientId: 'x2', jwksUrl: 'ftp://k' })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'LTI_URL_INVALID', errors: [{ field: 'jwksUrl' }] });
    const f = new Factories(t);
    const commune = await f.commune(0);
    const notIntegrator = await admin.agent
      .post('/v1/lti/platforms')
      .send({ ...body, clientId: 'x3', integratorId: commune.id })
      .expect(400);
    expect(notIntegrator.body.code).toBe('LTI_INTEGRATOR_NOT_FOUND');
    const integrator = await f.orgUnit(await f.province(), OrgUnitKind.Integrator, 'Trường Đại học Thái Nguyên');
    // A second client of the same issuer: a trusted audience, and login then needs client_id.
    const second = await admin.agent
      .post('/v1/lti/platforms')
      .send({ ...body, clientId: `${emu.clientId}-b`, integratorId: integrator.id })
      .expect(201);
    expect(second.body.integratorId).toBe(integrator.id);
    const learner = await createSession(t, { roles: [Role.Learner] });
    await learner.agent
      .post('/v1/lti/platforms')
      .send({ ...body, clientId: 'x4' })
      .expect(403);
    await learner.agent.get('/v1/lti/platforms').expect(403);
    await t.http().get('/v1/lti/platforms').expect(401);
  });

  it('publishes the tool keys (RS256, by kid, public parts only, cacheable)', async () => {
    const res = await t.http().get('/lti/jwks').expect(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of res.body.keys) {
      expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(k).not.toHaveProperty('d');
    }
  });

  // ------------------------------------------------------------------ login initiation

  it('login initiation redirects to the platform with state, nonce and the hints unaltered (GET and POST)', async () => {
    const { location, state, nonce, res } = await login();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(`${location.origin}${location.pathname}`).toBe(emu.authLoginUrl);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: emu.clientId,
      redirect_uri: `${publicUrl}/lti/launch`,
      login_hint: 'hint-42',
      lti_message_hint: 'msg+hint/é',
      state,
      nonce,
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const [row] = await ds.query(
      `SELECT nonce, used_at, expires_at - created_at AS ttl FROM lti_login_state WHERE state = $1`,
      [state],
    );
    expect(row.nonce).toBe(nonce);
    expect(row.used_at).toBeNull();

    const form = await t
      .http()
      .post('/lti/login')
      .type('form')
      .send({ iss: emu.issuer, login_hint: 'h', target_link_uri: `${publicUrl}/lti/launch`, client_id: emu.clientId })
      .expect(302);
    expect(new URL(form.headers.location).searchParams.get('login_hint')).toBe('h');
  });

  it('login initiation refuses unknown platforms, foreign targets, unknown deployments — 400 problem+json', async () => {
    const base = { iss: emu.issuer, login_hint: 'h', target_link_uri: `${publicUrl}/embed/courses/${COURSE}` };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...base, iss: 'https://unknown.example', client_id: emu.clientId }, 'LTI_PLATFORM_UNKNOWN'],
      [{ ...base, client_id: 'nobody' }, 'LTI_PLATFORM_UNKNOWN'],
      [base, 'LTI_PLATFORM_AMBIGUOUS'], // two client ids registered for this issuer
      [{ ...base, client_id: emu.clientId, target_link_uri: 'https://evil.example/x' }, 'LTI_TARGET_INVALID'],
      [{ ...base, client_id: emu.clientId, lti_deployment_id: 'other' }, 'LTI_DEPLOYMENT_UNKNOWN'],
      [{ iss: emu.issuer, client_id: emu.clientId }, 'LTI_LOGIN_INVALID'],
    ];
    for (const [query, code] of cases) {
      const res = await t.http().get('/lti/login').query(query);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  // ------------------------------------------------------------------ resource link launch

  it('a resource-link launch creates a learner account, enrolls it (source lti) and hands the session to the embed page', async () => {
    const { res, claims: c, session, userId, agent } = await launchAs({ email: 'binh.tran@lms.tnu.edu.vn' });
    // the page: the session in sessionStorage, then the embed page — no token in any URL
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("base-uri 'none'");
    expect(res.text).toContain(`<script nonce="${nonce}">`);
    expect(res.text).toContain(`location.replace(${JSON.stringify(`${publicUrl}/embed/courses/${COURSE}`)})`);
    // …and that page may be framed by the LMS (a registered platform's origin).
    const embed = await t.http().get(`/embed/courses/${COURSE}`).expect(200);
    expect(embed.headers['content-security-policy']).toContain(new URL(emu.authLoginUrl).origin);
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect(session.refreshToken).toBeTruthy();

    const me = (await agent.get('/v1/me').expect(200)).body;
    expect(me).toMatchObject({
      id: userId,
      fullName: 'Trần Thị Bình',
      email: 'binh.tran@lms.tnu.edu.vn',
      roles: ['learner'],
    });
    const [enrollment] = await ds.query(`SELECT source, source_ref, course_slug FROM enrollment WHERE user_id = $1`, [
      userId,
    ]);
    const [link] = await ds.query(
      `SELECT id, deployment_id, resource_link_id, context_id, course_slug, lesson_id, lineitem_url, lineitems_url, ags_scopes
         FROM lti_resource_link WHERE platform_id = $1 AND resource_link_id = $2`,
      [platformId, (c[LTI.resourceLink] as { id: string }).id],
    );
    expect(enrollment).toEqual({ source: 'lti', source_ref: link.id, course_slug: COURSE });
    expect(link).toMatchObject({
      deployment_id: emu.deploymentId,
      context_id: 'ctx-10a',
      course_slug: COURSE,
      lesson_id: null,
      lineitem_url: emu.lineitem('1'),
      lineitems_url: `${emu.url}/lineitems`,
      ags_scopes: expect.arrayContaining([AGS_SCORE_SCOPE]),
    });
    const [linkUser] = await ds.query(
      `SELECT platform_user_id FROM lti_resource_link_user WHERE resource_link_id = $1 AND user_id = $2`,
      [link.id, userId],
    );
    expect(linkUser.platform_user_id).toBe(c.sub);
    // the platform identity is in "export my data"
    const exported = (await agent.get('/v1/me/export').expect(200)).body;
    expect(exported.lti.identities).toEqual([expect.objectContaining({ issuer: emu.issuer, sub: c.sub })]);
    // An LTI account has no password: erasure takes an explicit confirmation instead.
    const unconfirmed = await agent.delete('/v1/me').send({}).expect(400);
    expect(unconfirmed.body).toMatchObject({ code: 'CONFIRMATION_REQUIRED', errors: [{ field: 'confirm' }] });
    await agent.delete('/v1/me').send({ confirm: true }).expect(204);
    const [erased] = await ds.query(`SELECT status FROM app_user WHERE id = $1`, [userId]);
    expect(erased.status).toBe('erased');
  });

  it('a second launch of the same platform user reuses the account; instructor roles grant nothing in Hocso', async () => {
    const first = await launchAs({ given_name: 'An', family_name: 'Nguyễn', middle_name: 'Văn', name: undefined });
    const second = await launchAs({ sub: first.claims.sub, [LTI.roles]: [INSTRUCTOR, 'urn:unknown:role#Root'] });
    expect(second.userId).toBe(first.userId);
    const me = (await second.agent.get('/v1/me').expect(200)).body;
    expect(me).toMatchObject({ fullName: 'Nguyễn Văn An', roles: ['learner'] });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM lti_user WHERE platform_id = $1 AND sub = $2`, [
      platformId,
      first.claims.sub,
    ]);
    expect(n).toBe(1);
    await second.agent.get('/v1/lti/platforms').expect(403);
  });

  it('a launch through an integrator’s platform makes the learner one of its learners (xAPI) and counts the launch', async () => {
    const integrator = (
      await admin.agent
        .post('/v1/integrators')
        .send({
          name: 'LMS Đại học Thái Nguyên',
          contactEmail: 'lms@tnu.edu.vn',
          allowedOrigins: ['https://lms.tnu.edu.vn'],
        })
        .expect(201)
    ).body;
    await ds.query(`UPDATE lti_platform SET integrator_id = $2 WHERE id = $1`, [platformId, integrator.id]);
    try {
      const { userId } = await launchAs();
      const rows = await ds.query(`SELECT source FROM integrator_learner WHERE integrator_id = $1 AND user_id = $2`, [
        integrator.id,
        userId,
      ]);
      expect(rows).toEqual([{ source: 'lti' }]);
      await new Promise((r) => setTimeout(r, 200));
      const [usage] = await ds.query(
        `SELECT count FROM integrator_usage_daily WHERE integrator_id = $1 AND kind = 'lti_launch'`,
        [integrator.id],
      );
      expect(usage.count).toBeGreaterThanOrEqual(1);
    } finally {
      await ds.query(`UPDATE lti_platform SET integrator_id = NULL WHERE id = $1`, [platformId]);
    }
  });

  it('never links an existing Hocso account by e-mail: the new account is made without it', async () => {
    const existing = await new Factories(t).user({
      roles: [Role.Learner],
      email: 'da-co@hocso.vn',
      fullName: 'Chủ cũ',
    });
    const { userId, agent } = await launchAs({ email: 'Da-Co@hocso.vn' });
    expect(userId).not.toBe(existing.id);
    const me = (await agent.get('/v1/me').expect(200)).body;
    expect(me.email ?? null).toBeNull();
    const [owner] = await ds.query(`SELECT full_name FROM app_user WHERE email = 'da-co@hocso.vn'`);
    expect(owner.full_name).toBe('Chủ cũ');
  });

  it('targets: a lesson link (URI or hocso_lesson custom claim) opens the lesson, enrolls in its course; login target as fallback', async () => {
    const viaUri = await launchAs({ [LTI.targetLinkUri]: `${publicUrl}/embed/lessons/${lessonId}` });
    expect(viaUri.res.text).toContain(JSON.stringify(`${publicUrl}/embed/lessons/${lessonId}`));
    const viaCustom = await launchAs({
      [LTI.targetLinkUri]: `${publicUrl}/lti/launch`,
      [LTI.custom]: { hocso_lesson: lessonId },
    });
    expect(viaCustom.res.text).toContain(JSON.stringify(`${publicUrl}/embed/lessons/${lessonId}`));
    const [e] = await ds.query(`SELECT course_slug, source FROM enrollment WHERE user_id = $1`, [viaCustom.userId]);
    expect(e).toEqual({ course_slug: COURSE, source: 'lti' });
    // no target claim: the target_link_uri of the login initiation
    const viaLogin = await launchAs({ [LTI.targetLinkUri]: undefined });
    expect(viaLogin.res.text).toContain(JSON.stringify(`${publicUrl}/embed/courses/${COURSE}`));
  });

  // ------------------------------------------------------------------ launch validation (SC15)

  it('rejects a replayed id_token (nonce used once)', async () => {
    const { state, nonce } = await login();
    const token = await emu.mint(claims(nonce));
    expect((await post(token, state)).status).toBe(200);
    const again = await post(token, state);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 401, code: 'LTI_NONCE_REPLAYED' });
    // the same token against a fresh login: its nonce is not that login's
    const fresh = await login();
    const other = await post(token, fresh.state);
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 401, code: 'LTI_NONCE_MISMATCH' });
  });

  it('rejects each broken rule with its own code — never a 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const mint = (c: JWTPayload, o?: Parameters<PlatformEmulator['mint']>[1]) => emu.mint(c, o);
    // audience and azp
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { aud: 'someone-else' })) }),
      401,
      'LTI_AUDIENCE_MISMATCH',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { aud: [emu.clientId, 'evil-client'], azp: emu.clientId })) }),
      401,
      'LTI_AUDIENCE_UNTRUSTED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { aud: [emu.clientId, `${emu.clientId}-b`] })) }),
      401,
      'LTI_AZP_INVALID',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { azp: `${emu.clientId}-b` })) }),
      401,
      'LTI_AZP_INVALID',
    );
    // time
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { iat: now - 300, exp: now - 120 })) }),
      401,
      'LTI_TOKEN_EXPIRED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { iat: now - 3600, exp: now + 300 })) }),
      401,
      'LTI_TOKEN_STALE',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { iat: now + 3600, exp: now + 7200 })) }),
      401,
      'LTI_TOKEN_STALE',
    );
    // keys, signature, algorithm, issuer
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce), { kid: 'no-such-key' }) }),
      401,
      'LTI_KEY_UNKNOWN',
    );
    const foreign = await PlatformEmulator.foreignKey();
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce), { key: foreign }) }),
      401,
      'LTI_SIGNATURE_INVALID',
    );
    await expectRejected(
      async (l) => ({
        token: await new SignJWT(claims(l.nonce))
          .setProtectedHeader({ alg: 'HS256', kid: emu.kid })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
      }),
      401,
      'LTI_ALGORITHM_UNSUPPORTED',
    );
    await expectRejected(
      async (l) => {
        const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return {
          token: `${b64({ alg: 'none', kid: emu.kid })}.${b64({ ...claims(l.nonce), iat: now, exp: now + 300 })}.`,
        };
      },
      401,
      'LTI_ALGORITHM_UNSUPPORTED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { iss: 'https://evil.example' })) }),
      401,
      'LTI_ISSUER_MISMATCH',
    );
    // nonce and state
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { nonce: undefined })) }),
      401,
      'LTI_NONCE_MISSING',
    );
    await expectRejected(async (l) => ({ token: await mint(claims(`${l.nonce}x`)) }), 401, 'LTI_NONCE_MISMATCH');
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce)), state: `${l.state.slice(0, -2)}zz` }),
      400,
      'LTI_STATE_INVALID',
    );
    // LTI claims
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { [LTI.deploymentId]: 'dep-unknown' })) }),
      400,
      'LTI_DEPLOYMENT_UNKNOWN',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { [LTI.version]: '1.1.0' })) }),
      400,
      'LTI_VERSION_UNSUPPORTED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { [LTI.messageType]: undefined })) }),
      400,
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { [LTI.messageType]: 'LtiSubmissionReviewRequest' })) }),
      400,
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
    );
    await expectRejected(
      async (l) => ({ token: await mint(claims(l.nonce, { sub: undefined })) }),
      400,
      'LTI_SUBJECT_MISSING',
    );
    await expectRejected(
      async (l) => ({
        token: await mint(claims(l.nonce, { [LTI.targetLinkUri]: `${publicUrl}/embed/courses/khong-co` })),
      }),
      400,
      'LTI_TARGET_UNKNOWN',
    );
    await expectRejected(async () => ({ token: 'not-a-jwt' }), 400, 'LTI_TOKEN_MALFORMED');
  });

  it('the login state binds the deployment the platform announced', async () => {
    const l = await login({ lti_deployment_id: emu.deploymentId });
    const ok = await post(await emu.mint(claims(l.nonce)), l.state);
    expect(ok.status).toBe(200);
    const [row] = await ds.query(`SELECT deployment_id, used_at FROM lti_login_state WHERE state = $1`, [l.state]);
    expect(row.deployment_id).toBe(emu.deploymentId);
    expect(row.used_at).not.toBeNull();
  });

  it('a person sees a rejection as a page (same status and code); other routes still refuse forms', async () => {
    const res = await t
      .http()
      .post('/lti/launch')
      .set('Accept', 'text/html,application/xhtml+xml')
      .type('form')
      .send({ id_token: 'x', state: 'nope' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('LTI_STATE_INVALID');
    expect(res.headers['cache-control']).toBe('no-store');
    const form = await t.http().post('/v1/auth/login').type('form').send({ identifier: 'a@b.vn', password: 'x' });
    expect(form.status).toBe(415);
  });

  it('follows a platform key rotation: an unknown kid refetches the JWKS (at most every 5 s), then passes', async () => {
    await emu.rotate('platform-key-2');
    await new Promise((r) => setTimeout(r, 5200));
    const hits = emu.jwksHits;
    const launched = await launchAs();
    expect(decodeProtectedHeader(await emu.mint({})).kid).toBe('platform-key-2');
    expect(launched.res.status).toBe(200);
    expect(emu.jwksHits).toBe(hits + 1);
  });

  // ------------------------------------------------------------------ deep linking

  it('Deep Linking: an instructor picks content; the signed response verifies with the tool JWKS and echoes data', async () => {
    const { state, nonce } = await login();
    const settings = {
      deep_link_return_url: `${emu.url}/deep-link-return?ctx=10a`,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      data: 'opaque-ctx-123',
    };
    const token = await emu.mint(
      claims(nonce, {
        [LTI.messageType]: 'LtiDeepLinkingRequest',
        [LTI.roles]: [INSTRUCTOR],
        [LTI.resourceLink]: undefined,
        [LTI.targetLinkUri]: `${publicUrl}/lti/launch`,
        [LTI.deepLinkingSettings]: settings,
      }),
    );
    const picker = await post(token, state).expect(200);
    expect(picker.headers['content-type']).toMatch(/^text\/html/);
    expect(picker.headers['cache-control']).toBe('no-store');
    expect(picker.text).toContain('Chọn nội dung Học Số');
    expect(picker.text).toContain('Lớp học cộng đồng — thử nghiệm');
    expect(picker.text).toContain(`value="course:${COURSE}"`);
    expect(picker.text).toContain(`value="lesson:${lessonId}"`);
    expect(picker.text).not.toContain('deep-link-return'); // the return URL never goes to the browser form
    const sessionToken = /name="token" value="([^"]+)"/.exec(picker.text)?.[1] as string;
    expect(sessionToken).toBeTruthy();

    const answer = await t
      .http()
      .post('/lti/deep-linking/response')
      .type('form')
      .send(
        new URLSearchParams([
          ['token', sessionToken],
          ['item', `course:${COURSE}`],
          ['item', `lesson:${lessonId}`],
          ['gradable', '1'],
          // a forged return URL or data in the form changes nothing
          ['deep_link_return_url', 'https://evil.example/steal'],
        ]).toString(),
      )
      .expect(200);
    expect(answer.text).toContain(`action="${settings.deep_link_return_url}"`);
    expect(answer.text).not.toContain('evil.example');
    expect(answer.headers['content-security-policy']).toContain(`form-action ${emu.url}`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(answer.text)?.[1] as string;
    const jwks = createLocalJWKSet((await t.http().get('/lti/jwks').expect(200)).body);
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, {
      algorithms: ['RS256'],
      issuer: emu.clientId,
      audience: emu.issuer,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({
      nonce: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
      [LTI.messageType]: 'LtiDeepLinkingResponse',
      [LTI.version]: '1.3.0',
      [LTI.deploymentId]: emu.deploymentId,
      [LTI.data]: 'opaque-ctx-123',
    });
    expect(payload[LTI.contentItems]).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        title: 'Lớp học cộng đồng — thử nghiệm',
        url: `${publicUrl}/embed/courses/${COURSE}`,
        custom: { hocso_course: COURSE },
        lineItem: expect.objectContaining({ scoreMaximum: 100, label: 'Lớp học cộng đồng — thử nghiệm' }),
        iframe: expect.objectContaining({ width: expect.any(Number) }),
      }),
      expect.objectContaining({
        type: 'ltiResourceLink',
        url: `${publicUrl}/embed/lessons/${lessonId}`,
        custom: { hocso_lesson: lessonId },
      }),
    ]);

    // the picker's token is single-use
    const twice = await t
      .http()
      .post('/lti/deep-linking/response')
      .type('form')
      .send({ token: sessionToken, item: `course:${COURSE}` })
      .expect(400);
    expect(twice.body.code).toBe('LTI_DEEP_LINKING_SESSION_INVALID');
    const forged = await t
      .http()
      .post('/lti/deep-linking/response')
      .type('form')
      .send({ token: 'A'.repeat(43) })
      .expect(400);
    expect(forged.body.code).toBe('LTI_DEEP_LINKING_SESSION_INVALID');
  });

  it('Deep Linking: learners may not pick content; a single-item platform gets one item only', async () => {
    const dl =
      (roles: string[], extra: Record<string, unknown> = {}) =>
      async (l: { nonce: string }) => ({
        token: await emu.mint(
          claims(l.nonce, {
            [LTI.messageType]: 'LtiDeepLinkingRequest',
            [LTI.roles]: roles,
            [LTI.deepLinkingSettings]: {
              deep_link_return_url: `${emu.url}/r`,
              accept_types: ['ltiResourceLink'],
              ...extra,
            },
          }),
        ),
      });
    await expectRejected(dl([LEARNER, 'urn:x:unknown']), 403, 'LTI_DEEP_LINKING_FORBIDDEN');
    await expectRejected(dl([INSTRUCTOR], { accept_types: ['file'] }), 400, 'LTI_DEEP_LINKING_SETTINGS_INVALID');
    const l = await login();
    const picker = await post((await dl([INSTRUCTOR])(l)).token, l.state).expect(200);
    expect(picker.text).toContain('type="radio"');
    const sessionToken = /name="token" value="([^"]+)"/.exec(picker.text)?.[1] as string;
    const many = await t
      .http()
      .post('/lti/deep-linking/response')
      .type('form')
      .send(`token=${sessionToken}&item=course:${COURSE}&item=lesson:${lessonId}`)
      .expect(400);
    expect(many.body.code).toBe('LTI_DEEP_LINKING_TOO_MANY');
  });

  // ------------------------------------------------------------------ AGS

  it('AGS: completing the course sends one score to the line item (client assertion, score+json)', async () => {
    const before = emu.scores.length;
    const { userId, claims: c, agent } = await launchAs();
    await completeCourse(t, { agent } as unknown as Session, COURSE);
    // embedded mode (PGlite + BullMQ on PostgreSQL) starts its single worker slowly: allow a minute
    await waitFor(() => emu.scores.length > before, 60_000);
    const score = emu.scores[before];
    expect(score.path).toBe('/lineitems/1/scores?course=10');
    expect(score.contentType).toBe('application/vnd.ims.lis.v1.score+json');
    expect(score.body).toEqual({
      userId: c.sub,
      scoreGiven: 100,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(emu.tokenRequests.every((r) => r.ok)).toBe(true);
    expect(emu.tokenRequests.length).toBeGreaterThanOrEqual(1);
    const [row] = await ds.query(
      `SELECT s.status, s.attempts, s.score_given FROM lti_score s JOIN enrollment e ON e.id = s.enrollment_id
        WHERE e.user_id = $1`,
      [userId],
    );
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(Number(row.score_given)).toBe(100);
    await new Promise((r) => setTimeout(r, 500));
    expect(emu.scores.filter((s) => s.body.userId === c.sub)).toHaveLength(1);
  }, 90_000);

  it('AGS: a refused score is kept with its error and retried', async () => {
    const { userId, agent } = await launchAs({
      [LTI.agsEndpoint]: { scope: [AGS_SCORE_SCOPE], lineitem: emu.lineitem('broken') },
    });
    await completeCourse(t, { agent } as unknown as Session, COURSE);
    let row: { status: string; attempts: number; last_error: string; last_http_status: number } | undefined;
    await waitFor(async () => {
      [row] = await ds.query(
        `SELECT s.status, s.attempts, s.last_error, s.last_http_status FROM lti_score s
           JOIN enrollment e ON e.id = s.enrollment_id WHERE e.user_id = $1`,
        [userId],
      );
      return row?.status === 'failed';
    }, 60_000);
    expect(row).toMatchObject({ status: 'failed', last_http_status: 500 });
    expect(row?.last_error).toContain('500');
    const [enrollment] = await ds.query(`SELECT id FROM enrollment WHERE user_id = $1`, [userId]);
    const job = await t.app.get(QueueService).queue(QueueName.Lti).getJob(`lti-score@${enrollment.id}`);
    expect(job?.opts).toMatchObject({ attempts: 6, backoff: { type: 'exponential' } });
    // the retry comes after the first backoff (5 s) and is recorded on the same row
    await waitFor(async () => {
      [row] = await ds.query(
        `SELECT s.status, s.attempts, s.last_error, s.last_http_status FROM lti_score s
           JOIN enrollment e ON e.id = s.enrollment_id WHERE e.user_id = $1`,
        [userId],
      );
      return (row?.attempts ?? 0) >= 2;
    }, 30_000);
    expect(row).toMatchObject({ status: 'failed', last_http_status: 500 });
  }, 120_000);

  it('AGS: links without the score scope or line item send nothing', async () => {
    const before = emu.scores.length;
    const { userId, agent } = await launchAs({ [LTI.agsEndpoint]: undefined });
    await completeCourse(t, { agent } as unknown as Session, COURSE);
    await waitFor(async () => {
      const [e] = await ds.query(`SELECT status FROM enrollment WHERE user_id = $1`, [userId]);
      return e.status === 'completed';
    });
    await new Promise((r) => setTimeout(r, 1000));
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM lti_score s JOIN enrollment e ON e.id = s.enrollment_id WHERE e.user_id = $1`,
      [userId],
    );
    expect(n).toBe(0);
    expect(emu.scores.length).toBe(before);
  });
});
