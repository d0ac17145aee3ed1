import { randomBytes, randomUUID } from 'node:crypto';
import { localDate, Role } from '@hocso/common';
import { CourseImportService } from '@hocso/courses';
import { createSession, createTestApp, Factories, type Session, type TestApp } from '@hocso/testing';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { RouteIndex } from '../apps/api/src/http/route-index';
import {
  ACTORS,
  type ActorName,
  AUTHZ_CONTENT,
  AUTHZ_COURSE,
  agentFor,
  buildWorld,
  type World,
} from './fixtures/authz-world';

/**
 * The authorization matrix (RELIABILITY SC5 BOLA/IDOR, SC6 BFLA, SC7 BOPLA): every route of the
 * OpenAPI document × every kind of caller, once with the callers' own world's ids (world A) and,
 * where a route names an object, once with someone else's (world B: another learner, trainer,
 * commune, park, enterprise, integrator). The table below is the rule book: a route added to the
 * api without a row fails the build, and so does a row whose route is gone.
 *
 * Outcome classes: ok = the caller is let through (2xx/3xx, or a 4xx business answer such as 400
 * for the deliberately empty body, 409 for a state transition — anything but 401/403/404/429/5xx);
 * 401 = not signed in; 403 = signed in but not allowed (a role or key-scope rule); 404 = the object is
 * outside the caller's reach and is answered as if it did not exist; 422 = a bulk upload refused as a
 * whole because a row names a unit outside the caller's reach. Every 4xx, allowed or denied, is
 * problem+json; no answer carries a password hash, key hash or (outside /v1/auth) a token; and no
 * answer to a world-A caller other than the province admin carries world B's personal or business
 * data. Writes send a valid body wherever a service-level check (the object, the subtree) decides,
 * so that validation cannot answer first; role checks run in the guard, before any validation.
 *
 * AUTHZ_MATRIX_DISCOVER=1 prints every mismatch as it happens (handy when adding rows).
 */

type Outcome = 'ok' | '401' | '403' | '404' | '422';
type Cells = Record<ActorName, Outcome>;

/** Values shared by both worlds (course content, issuer keys, KPI codes…). */
interface Shared {
  lessonId: string;
  quizId: string;
  kid: string;
  statusListId: (w: World) => string;
  kpiCode: string;
  publicUrl: string;
  week: string;
  today: string;
  /** the public handle of each world's official (opted in to a public profile, no certificates) */
  handle: (w: World) => string;
}

interface Probe {
  w: World;
  actor: ActorName;
  s: Shared;
}

interface Rule {
  /** outcome per caller for world A's objects (the callers' own world) */
  own: Cells;
  /**
   * outcome per caller for world B's objects. 'hide' (the default for routes with ids): what was
   * allowed for world A is 404 for world B, except for the province admin; an object: 'hide' with
   * these cells changed; 'same': public objects, as for world A; 'none': the route names no owned
   * object (a slug, a file name), so there is nothing foreign to probe.
   */
  foreign?: Partial<Cells> | 'hide' | 'same' | 'none';
  params?: (p: Probe) => string[];
  query?: (p: Probe) => Record<string, string>;
  body?: (p: Probe) => unknown;
  /** world B's data this route shows to anyone by design (the leak check is skipped for it) */
  publicData?: string;
  /** the API's own description: it names fields such as refreshToken without carrying any */
  apiDocs?: boolean;
  /** why a cell is what it is, where the table alone does not say */
  note?: string;
}

// ——— cell presets ———

const all = (o: Outcome): Cells => Object.fromEntries(ACTORS.map((a) => [a, o])) as Cells;
const USERS: ActorName[] = ['learner', 'official', 'trainer', 'communeAdmin', 'parkAdmin', 'provinceAdmin'];
const ADMINS: ActorName[] = ['communeAdmin', 'parkAdmin', 'provinceAdmin'];

/** Anyone, signed in or not, with or without a key. */
const anyone = (over: Partial<Cells> = {}): Cells => ({ ...all('ok'), ...over });
/** A signed-in user (Bearer); keys alone are not a user. */
const signedIn = (over: Partial<Cells> = {}): Cells => ({
  ...all('ok'),
  anonymous: '401',
  enterpriseKey: '401',
  integratorKey: '401',
  ...over,
});
/** Only the listed users (a role rule); other users 403, no Bearer 401. */
const only = (allowed: ActorName[], over: Partial<Cells> = {}): Cells => ({
  ...all('401'),
  ...Object.fromEntries(USERS.map((a) => [a, allowed.includes(a) ? 'ok' : '403'])),
  ...over,
});

const DAY = 86_400_000;
const futureDay = (n: number) => localDate(new Date(Date.now() + n * DAY));
const email = () => `authz-${randomBytes(5).toString('hex')}@test.hocso.vn`;

// ——— the rule book ———

const cohortBody = (title = 'Lớp thử phân quyền') => ({
  title,
  courseSlugs: [AUTHZ_COURSE],
  kind: 'citizen',
  mode: 'in_person',
  startsOn: futureDay(1),
  endsOn: futureDay(30),
  capacity: 20,
});
const ids =
  (...f: Array<(w: World, p: Probe) => string>) =>
  (p: Probe) =>
    f.map((g) => g(p.w, p));
const weekQuery = (p: Probe) => ({ week: p.s.week });
const trendQuery = (p: Probe) => ({ from: p.s.week, to: p.s.week });
const unitQuery = (p: Probe) => ({ orgUnitId: p.w.commune.id });
/** The enterprise's own key (it holds every enterprise scope) and the admins over its park. */
const ENTERPRISE_STAFF = only(['parkAdmin', 'provinceAdmin'], {
  communeAdmin: '404',
  enterpriseKey: 'ok',
  integratorKey: '403',
});
/** The admins over the park; an enterprise's key is not the park's (404), an integrator's lacks the scope (403). */
const PARK_READERS = only(['parkAdmin', 'provinceAdmin'], {
  communeAdmin: '404',
  enterpriseKey: '404',
  integratorKey: '403',
});
const enterprise = ids((w) => w.enterpriseId);
const park = ids((w) => w.park.id);
const cohort = ids((w) => w.cohortId);
const MISSING_SLUG = 'khong-co-khoa-hoc-nay';

const TABLE: Record<string, Rule> = {
  // ——— accounts (public: the body decides) ———
  'POST /v1/auth/register': { own: anyone() },
  'POST /v1/auth/login': { own: anyone() },
  'POST /v1/auth/refresh': { own: anyone() },
  'POST /v1/auth/logout': { own: anyone() },
  'POST /v1/auth/invitations/accept': { own: anyone() },

  // ——— me: the caller's own account only ———
  'GET /v1/me': { own: signedIn() },
  'PATCH /v1/me': { own: signedIn() },
  'DELETE /v1/me': {
    own: signedIn(),
    body: () => ({ confirm: 'yes' }),
    note: 'a malformed confirmation: the signed-in caller gets 400 and nobody is erased',
  },
  'GET /v1/me/consents': { own: signedIn() },
  'PUT /v1/me/consents/{purpose}': { own: signedIn(), params: () => ['statistics'], foreign: 'none' },
  'GET /v1/me/export': { own: signedIn() },

  // ——— users (admins, inside their subtree) ———
  'POST /v1/users': {
    own: only(ADMINS, { parkAdmin: '403' }),
    foreign: { communeAdmin: '403', parkAdmin: '403' },
    body: (p) => ({
      email: email(),
      password: 'Cán bộ xã 2026',
      fullName: 'Người Được Tạo',
      orgUnitId: p.w.commune.id,
      roles: [Role.Official],
    }),
    note: 'a unit outside the admin’s subtree is 403 OUT_OF_SCOPE naming orgUnitId (the unit itself is public)',
  },
  'GET /v1/users': { own: only(ADMINS) },
  'GET /v1/users/{id}': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: ids((w) => w.learner.user.id),
  },
  'PATCH /v1/users/{id}/roles': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: ids((w) => w.learner.user.id),
    body: () => ({ roles: [Role.Learner] }),
  },

  // ——— org units: a public directory; creating units is for admins in their subtree ———
  'GET /v1/org-units': { own: anyone() },
  'GET /v1/org-units/{id}': {
    own: only(['parkAdmin', 'provinceAdmin'], { ...all('404'), parkAdmin: 'ok', provinceAdmin: 'ok' }),
    params: ids((w) => w.enterpriseId),
    note: 'an enterprise unit: communes and parks are a public directory, enterprises only for admins over them',
  },
  'POST /v1/org-units': {
    own: only(ADMINS, { parkAdmin: '403' }),
    foreign: { communeAdmin: '403', parkAdmin: '403' },
    body: (p) => ({
      parentId: p.w.commune.id,
      kind: 'school',
      code: `T${randomBytes(4).toString('hex')}`,
      name: 'Trường thử phân quyền',
    }),
  },

  // ——— API keys ———
  'POST /v1/api-keys': {
    own: only(ADMINS, { communeAdmin: '403' }),
    foreign: { communeAdmin: '403', parkAdmin: '403' },
    body: (p) => ({ name: 'Khóa thử', orgUnitId: p.w.enterpriseId, scopes: ['compliance:read'] }),
  },
  'GET /v1/api-keys': { own: only(ADMINS) },
  'GET /v1/api-keys/self': { own: only([], { enterpriseKey: 'ok', integratorKey: 'ok' }), note: 'keys only' },
  'DELETE /v1/api-keys/{id}': {
    own: only(ADMINS, { communeAdmin: '404' }),
    params: ids((w) => w.spareKeyId),
  },

  // ——— catalogue and authoring ———
  'GET /v1/courses': { own: anyone() },
  'GET /v1/courses/{slug}': { own: anyone(), params: () => [AUTHZ_COURSE], foreign: 'none' },
  'GET /v1/courses/{slug}/versions': { own: anyone(), params: () => [AUTHZ_COURSE], foreign: 'none' },
  'GET /v1/courses/{slug}/lessons/{lessonId}': {
    own: anyone(),
    params: (p) => [AUTHZ_COURSE, p.s.lessonId],
    foreign: 'none',
  },
  'POST /v1/courses': { own: only(['provinceAdmin']) },
  'PUT /v1/courses/{slug}': { own: only(['provinceAdmin']), params: () => [MISSING_SLUG], foreign: 'none' },
  'GET /v1/courses/{slug}/draft': {
    own: only(['provinceAdmin'], { provinceAdmin: '404' }),
    params: () => [MISSING_SLUG],
    foreign: 'none',
    note: 'a slug without a draft, so the allowed editor gets 404 and nothing is published or archived',
  },
  'POST /v1/courses/{slug}/publish': {
    own: only(['provinceAdmin'], { provinceAdmin: '404' }),
    params: () => [MISSING_SLUG],
    foreign: 'none',
  },
  'POST /v1/courses/{slug}/archive': {
    own: only(['provinceAdmin'], { provinceAdmin: '404' }),
    params: () => [MISSING_SLUG],
    foreign: 'none',
  },
  'GET /v1/competencies': { own: anyone() },

  // ——— learning: the learner's own records ———
  'POST /v1/enrollments': { own: signedIn() },
  'GET /v1/me/enrollments': { own: signedIn() },
  'GET /v1/me/enrollments/{id}': {
    own: signedIn({ official: '404', trainer: '404', communeAdmin: '404', parkAdmin: '404', provinceAdmin: '404' }),
    params: ids((w) => w.enrollmentId),
    foreign: { learner: '404' },
    note: 'a /me route: only the holder, even the province admin sees another’s enrollment as missing',
  },
  'GET /v1/me/learning-minutes': { own: signedIn() },
  'POST /v1/progress-events': { own: signedIn() },
  'POST /v1/courses/{slug}/quizzes/{quizId}/attempts': {
    own: signedIn(),
    params: (p) => [AUTHZ_COURSE, p.s.quizId],
    foreign: 'none',
  },

  // ——— cohorts ———
  'POST /v1/cohorts': {
    own: signedIn({ learner: '403', official: '403', parkAdmin: '403' }),
    body: (p) => ({ ...cohortBody(), leadTrainerId: p.w.trainer.user.id }),
    foreign: { trainer: '403', communeAdmin: '403' },
    note: 'a valid body led by the world’s trainer: the trainer leads their own, admins open cohorts for trainers in their subtree (OUT_OF_SCOPE otherwise)',
  },
  'GET /v1/cohorts': { own: signedIn() },
  'POST /v1/cohorts/join': { own: signedIn() },
  'GET /v1/cohorts/{id}': {
    own: signedIn({ official: '404', parkAdmin: '404' }),
    params: cohort,
    note: 'members read their cohort',
  },
  'PATCH /v1/cohorts/{id}': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    foreign: { learner: '404' },
  },
  'PUT /v1/cohorts/{id}/staff': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    body: () => ({ coTrainerIds: [], assistantIds: [] }),
    foreign: { learner: '404' },
  },
  'POST /v1/cohorts/{id}/start': {
    own: signedIn({ learner: '404', official: '404', parkAdmin: '404' }),
    params: ids((w) => w.lifeCohortId),
  },
  'POST /v1/cohorts/{id}/finish': {
    own: signedIn({ learner: '404', official: '404', parkAdmin: '404' }),
    params: ids((w) => w.lifeCohortId),
  },
  'POST /v1/cohorts/{id}/archive': {
    own: signedIn({ learner: '404', official: '404', parkAdmin: '404' }),
    params: ids((w) => w.lifeCohortId),
  },
  'POST /v1/cohorts/{id}/members': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    body: () => ({ members: [{ fullName: 'Thành Viên Mới', email: email() }] }),
    foreign: { learner: '404' },
  },
  'GET /v1/cohorts/{id}/members': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    foreign: { learner: '404' },
  },
  'DELETE /v1/cohorts/{id}/members/{userId}': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: ids(
      (w) => w.cohortId,
      (w, p) => w.spareMembers.remove[p.actor],
    ),
    foreign: { learner: '404' },
  },
  'POST /v1/cohorts/{id}/members/{userId}/transfer': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: ids(
      (w) => w.cohortId,
      (w, p) => w.spareMembers.transfer[p.actor],
    ),
    body: (p) => ({ toCohortId: p.w.cohortId2 }),
    foreign: { learner: '404' },
  },
  'POST /v1/cohorts/{id}/members/{userId}/practicum': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: ids(
      (w) => w.cohortId,
      (w) => w.learner.user.id,
    ),
    body: () => ({ decision: 'approved' }),
    foreign: { learner: '404' },
  },
  'POST /v1/cohorts/{id}/sessions': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    body: () => ({ startsAt: new Date(Date.now() + DAY).toISOString(), durationMinutes: 60 }),
    foreign: { learner: '404' },
  },
  'GET /v1/cohorts/{id}/sessions': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    foreign: { learner: '404' },
    note: 'staff only; a member sees their sessions through their own enrolment',
  },
  'PUT /v1/cohorts/{id}/sessions/{sessionId}/attendance': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: ids(
      (w) => w.cohortId,
      (w) => w.sessionId,
    ),
    body: (p) => ({ records: [{ userId: p.w.learner.user.id, status: 'present' }] }),
    foreign: { learner: '404' },
  },
  'GET /v1/cohorts/{id}/sessions/{sessionId}/attendance': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: ids(
      (w) => w.cohortId,
      (w) => w.sessionId,
    ),
    foreign: { learner: '404' },
  },
  'GET /v1/cohorts/{id}/report': {
    own: signedIn({ learner: '403', official: '404', parkAdmin: '404' }),
    params: cohort,
    foreign: { learner: '404' },
  },
  'GET /v1/me/cohorts': { own: signedIn() },

  // ——— trainers ———
  'GET /v1/trainers/totals': { own: only(ADMINS) },
  'GET /v1/trainers/me/dashboard': { own: signedIn() },
  'POST /v1/trainers/{userId}/qualifications': {
    own: only(['provinceAdmin']),
    params: ids((w) => w.candidateId),
    body: () => ({ level: 'community' }),
  },
  'POST /v1/trainers/{userId}/qualifications/{qualificationId}/revoke': {
    own: only(['provinceAdmin']),
    params: ids(
      (w) => w.spareQualification.userId,
      (w) => w.spareQualification.id,
    ),
    body: () => ({ reason: 'Thử thu hồi' }),
  },
  'GET /v1/trainers/{userId}': {
    own: signedIn({ learner: '404', official: '404', parkAdmin: '404' }),
    params: ids((w) => w.trainer.user.id),
  },
  'GET /v1/trainers/{userId}/cascade': {
    own: signedIn({ learner: '404', official: '404', parkAdmin: '404' }),
    params: ids((w) => w.trainer.user.id),
  },

  // ——— certificates ———
  'GET /v1/me/certificates': { own: signedIn() },
  'GET /v1/certificates/{file}': {
    own: anyone({
      anonymous: '404',
      official: '404',
      trainer: '404',
      parkAdmin: '404',
      enterpriseKey: '404',
      integratorKey: '404',
    }),
    params: ids((w) => w.certificateId),
    note: 'the holder and admins over the holder; anyone else only while it is shared (it is not)',
  },
  'POST /v1/certificates/{file}/revoke': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: ids((w) => w.certificateId),
    body: () => ({ reason: 'Thử thu hồi' }),
  },
  'POST /v1/credentials/verify': { own: anyone() },
  'GET /v1/status-lists/{id}': {
    own: anyone(),
    params: (p) => [p.s.statusListId(p.w)],
    foreign: 'same',
    publicData: 'status lists are public revocation bitstrings',
  },
  'GET /v1/credentials/keys/{kid}': { own: anyone(), params: (p) => [p.s.kid], foreign: 'none' },
  'GET /v1/issuer': { own: anyone() },
  'GET /v1/me/public-profile': { own: signedIn() },
  'PUT /v1/me/public-profile': { own: signedIn() },
  'GET /v1/public-profiles/{handle}': {
    own: anyone(),
    params: (p) => [p.s.handle(p.w)],
    foreign: 'same',
    publicData: 'the holder opted in to a public page',
  },
  'GET /v1/certificate-rules': { own: only(ADMINS) },
  'PUT /v1/certificate-rules': { own: only(['provinceAdmin']) },
  'GET /.well-known/jwks.json': { own: anyone() },
  'GET /verify/{id}': {
    own: anyone(),
    params: ids((w) => w.certificateId),
    foreign: 'same',
    publicData: 'the verify page shows who holds a certificate to whoever has its id (by design)',
  },

  // ——— integrators and the content API ———
  'POST /v1/integrators': { own: only(['provinceAdmin']) },
  'GET /v1/integrators': { own: only(ADMINS) },
  'GET /v1/integrators/{id}': {
    own: only(ADMINS, { communeAdmin: '404', parkAdmin: '404', integratorKey: 'ok', enterpriseKey: '403' }),
    params: ids((w) => w.integratorId),
  },
  'PATCH /v1/integrators/{id}': {
    own: only(ADMINS, { communeAdmin: '404', parkAdmin: '404' }),
    params: ids((w) => w.integratorId),
  },
  'POST /v1/integrators/{id}/api-keys': {
    own: only(ADMINS, { communeAdmin: '404', parkAdmin: '404' }),
    params: ids((w) => w.integratorId),
    body: () => ({ name: 'Khóa thử', scopes: ['content:read'] }),
  },
  'GET /v1/integrators/{id}/usage': {
    own: only(ADMINS, { communeAdmin: '404', parkAdmin: '404', integratorKey: 'ok', enterpriseKey: '403' }),
    params: ids((w) => w.integratorId),
    query: (p) => ({ from: p.s.today, to: p.s.today }),
  },
  'GET /v1/xapi/statements': {
    own: only(['provinceAdmin'], { integratorKey: 'ok', enterpriseKey: '403' }),
  },
  'GET /v1/content/courses': { own: anyone({ enterpriseKey: '403' }) },
  'GET /v1/content/courses/{slug}': {
    own: anyone({ enterpriseKey: '403' }),
    params: () => [AUTHZ_COURSE],
    foreign: 'none',
  },
  'GET /v1/content/lessons/{lessonId}': {
    own: anyone({ enterpriseKey: '403' }),
    params: (p) => [p.s.lessonId],
    foreign: 'none',
  },
  'GET /v1/content/materials': { own: anyone({ enterpriseKey: '403' }) },
  'GET /embed/courses/{slug}': { own: anyone(), params: () => [AUTHZ_COURSE], foreign: 'none' },
  'GET /embed/lessons/{lessonId}': { own: anyone(), params: (p) => [p.s.lessonId], foreign: 'none' },
  'GET /embed/v1/{file}': { own: anyone(), params: () => ['hocso.js'], foreign: 'none' },
  'GET /oembed': {
    own: anyone(),
    query: (p) => ({ url: `${p.s.publicUrl}/courses/${AUTHZ_COURSE}`, format: 'json' }),
  },
  'GET /embed/thumbnails/{file}': { own: anyone(), params: () => [`${AUTHZ_COURSE}.svg`], foreign: 'none' },

  // ——— workforce: parks, enterprises, reports ———
  'POST /v1/industrial-parks': { own: only(['provinceAdmin']) },
  'GET /v1/industrial-parks/{id}/compliance': { own: PARK_READERS, params: park, query: weekQuery },
  'GET /v1/industrial-parks/{id}/compliance.csv': { own: PARK_READERS, params: park, query: weekQuery },
  'GET /v1/industrial-parks/{id}/compliance/trend': { own: PARK_READERS, params: park, query: trendQuery },
  'GET /v1/industrial-parks/{id}/compliance/trend.csv': { own: PARK_READERS, params: park, query: trendQuery },
  'POST /v1/enterprises': {
    own: only(ADMINS, { communeAdmin: '403' }),
    foreign: { communeAdmin: '403', parkAdmin: '403' },
    body: (p) => ({
      name: 'Công ty thử phân quyền',
      taxCode: `47${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      industrialParkId: p.w.park.id,
      ownership: 'domestic',
    }),
  },
  'GET /v1/enterprises/{id}': { own: ENTERPRISE_STAFF, params: enterprise },
  'POST /v1/enterprises/{id}/api-keys': {
    own: only(ADMINS, { communeAdmin: '404' }),
    params: enterprise,
    body: () => ({ name: 'Khóa thử' }),
  },
  'PUT /v1/enterprises/{id}/webhook': {
    own: ENTERPRISE_STAFF,
    params: enterprise,
    body: () => ({ url: 'https://hr.example.vn/hocso/webhook' }),
  },
  'DELETE /v1/enterprises/{id}/webhook': { own: ENTERPRISE_STAFF, params: enterprise },
  'PUT /v1/enterprises/{id}/workers': {
    own: ENTERPRISE_STAFF,
    params: enterprise,
    body: () => ({ workers: [{ workerCode: 'NVTHU01' }] }),
  },
  'GET /v1/enterprises/{id}/workers': { own: ENTERPRISE_STAFF, params: enterprise },
  'POST /v1/enterprises/{id}/workers/{workerCode}/invitations': {
    own: ENTERPRISE_STAFF,
    params: ids(
      (w) => w.enterpriseId,
      (w) => w.workerCode,
    ),
  },
  'POST /v1/enterprises/{id}/training-reports': {
    own: ENTERPRISE_STAFF,
    params: enterprise,
    body: (p) => ({ sessions: [{ workerCode: p.w.workerCode, date: p.s.today, minutes: 5, topic: 'Thử' }] }),
  },
  'GET /v1/enterprises/{id}/training-reports': { own: ENTERPRISE_STAFF, params: enterprise },
  'GET /v1/enterprises/{id}/compliance': { own: ENTERPRISE_STAFF, params: enterprise, query: weekQuery },
  'GET /v1/enterprises/{id}/compliance.csv': { own: ENTERPRISE_STAFF, params: enterprise, query: weekQuery },
  'GET /v1/enterprises/{id}/compliance/trend': { own: ENTERPRISE_STAFF, params: enterprise, query: trendQuery },
  'GET /v1/enterprises/{id}/compliance/trend.csv': {
    own: ENTERPRISE_STAFF,
    params: enterprise,
    query: trendQuery,
  },
  'GET /v1/training-reports/{id}': { own: ENTERPRISE_STAFF, params: ids((w) => w.reportId) },
  'POST /v1/worker-invitations/accept': { own: signedIn() },
  'GET /v1/workforce/settings': { own: only(ADMINS) },
  'PUT /v1/workforce/settings': { own: only(['provinceAdmin']) },
  'GET /v1/workforce/compliance': { own: only(ADMINS), query: weekQuery },
  'GET /v1/workforce/compliance.csv': { own: only(ADMINS), query: weekQuery },
  'GET /v1/workforce/compliance/trend': { own: only(ADMINS), query: trendQuery },
  'GET /v1/workforce/compliance/trend.csv': { own: only(ADMINS), query: trendQuery },

  // ——— KPIs and denominators (admins, in their subtree) ———
  'GET /v1/kpis': { own: only(ADMINS, { parkAdmin: '404' }), query: unitQuery, foreign: 'hide' },
  'GET /v1/kpis/export.csv': { own: only(ADMINS, { parkAdmin: '404' }), query: unitQuery, foreign: 'hide' },
  'GET /v1/kpis/definitions': { own: only(ADMINS) },
  'PATCH /v1/kpis/definitions/{code}': {
    own: only(['provinceAdmin']),
    params: (p) => [p.s.kpiCode],
    foreign: 'none',
  },
  'GET /v1/kpis/definitions/{code}/audit': { own: only(ADMINS), params: (p) => [p.s.kpiCode], foreign: 'none' },
  'POST /v1/kpis/snapshots': { own: only(['provinceAdmin']) },
  'GET /v1/kpis/snapshots/{period}': { own: only(ADMINS), params: (p) => [p.s.week], foreign: 'none' },
  'GET /v1/kpis/{code}/breakdown': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: (p) => [p.s.kpiCode],
    query: (p) => ({ ...unitQuery(p), by: 'commune' }),
    foreign: 'hide',
  },
  'GET /v1/kpis/{code}/series': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: (p) => [p.s.kpiCode],
    query: unitQuery,
    foreign: 'hide',
  },
  'PUT /v1/population-stats': {
    own: only(ADMINS, { parkAdmin: '422' }),
    body: (p) => ({ rows: [{ orgUnitCode: p.w.commune.code, period: '2025', population: 1000 }] }),
    foreign: { communeAdmin: '422', parkAdmin: '422' },
    note: 'a bulk upload: a unit outside the admin’s subtree is the row error "unknownUnit" (422, all rows or none)',
  },
  'GET /v1/population-stats': { own: only(ADMINS, { parkAdmin: '404' }), query: unitQuery, foreign: 'hide' },
  'PUT /v1/org-units/{id}/officials': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: ids((w) => w.commune.id),
  },
  'GET /v1/org-units/{id}/officials': {
    own: only(ADMINS, { parkAdmin: '404' }),
    params: ids((w) => w.commune.id),
  },
  'PUT /v1/industrial-parks/{id}/operating-enterprises': {
    own: only(ADMINS, { communeAdmin: '404' }),
    params: park,
  },
  'GET /v1/industrial-parks/{id}/operating-enterprises': {
    own: only(ADMINS, { communeAdmin: '404' }),
    params: park,
  },

  // ——— LTI ———
  'POST /v1/lti/platforms': { own: only(['provinceAdmin']) },
  'GET /v1/lti/platforms': { own: only(['provinceAdmin']) },
  'GET /lti/jwks': { own: anyone() },
  'GET /lti/login': { own: anyone() },
  'POST /lti/login': { own: anyone() },
  'POST /lti/launch': { own: anyone() },
  'POST /lti/deep-linking/response': { own: anyone() },

  // ——— the web portal's pages (public shells; data comes from the api above) ———
  'GET /': { own: anyone() },
  'GET /courses/{slug}': { own: anyone(), params: () => [AUTHZ_COURSE], foreign: 'none' },
  'GET /courses/{slug}/lessons/{lessonId}': {
    own: anyone(),
    params: (p) => [AUTHZ_COURSE, p.s.lessonId],
    foreign: 'none',
  },
  'GET /login': { own: anyone() },
  'GET /register': { own: anyone() },
  'GET /me/courses': { own: anyone() },
  'GET /me/certificates': { own: anyone() },
  'GET /me/account': { own: anyone() },
  'GET /trainer': { own: anyone() },
  'GET /trainer/cohorts/{id}': {
    own: anyone(),
    params: cohort,
    foreign: 'same',
    note: 'the page shell carries no cohort data',
  },
  'GET /trainer/cohorts/{id}/sessions/{sessionId}': {
    own: anyone(),
    params: ids(
      (w) => w.cohortId,
      (w) => w.sessionId,
    ),
    foreign: 'same',
  },
  'GET /enterprise': { own: anyone() },
  'GET /admin': { own: anyone() },
  'GET /admin/kpis/{code}': { own: anyone(), params: (p) => [p.s.kpiCode], foreign: 'none' },
  'GET /admin/people': { own: anyone() },
  'GET /sw.js': { own: anyone() },
  'GET /app/{file}': { own: all('404'), params: () => ['no-such-file.js'], foreign: 'none' },
  'GET /app/chunks/{file}': { own: all('404'), params: () => ['no-such-chunk.js'], foreign: 'none' },
  'GET /app/fonts/{file}': { own: all('404'), params: () => ['no-such-font.woff2'], foreign: 'none' },
};

/** Routes the api serves outside the OpenAPI document (probes, metrics, the docs themselves). */
const OUTSIDE_OPENAPI: Record<string, Rule> = {
  'GET /openapi.json': { own: anyone(), apiDocs: true },
  'GET /docs': { own: anyone(), apiDocs: true },
  'GET /docs/': { own: anyone(), apiDocs: true },
  'GET /docs/*': { own: anyone(), apiDocs: true, note: 'swagger-ui static files; the literal "*" is no file' },
  'GET /docs/LICENSE': { own: all('404'), note: 'registered by swagger-ui, not shipped' },
  'GET /docs/index.html': { own: anyone(), apiDocs: true },
  'GET /docs/swagger-ui-init.js': { own: anyone(), apiDocs: true },
  'GET /docs/docs/swagger-ui-init.js': { own: anyone(), apiDocs: true },
  'GET /health/live': { own: anyone() },
  'GET /health/ready': { own: anyone() },
  'GET /metrics': { own: anyone(), note: 'aggregate counters only; the leak check covers it like every route' },
};
const RULES: Record<string, Rule> = { ...TABLE, ...OUTSIDE_OPENAPI };

describe('authorization matrix: every route × every caller × own and foreign objects', () => {
  let t: TestApp;
  let provinceAdmin: Session;
  let a: World;
  let b: World;
  let shared: Shared;
  let routes: string[];
  /** every route the server registered that the OpenAPI document does not list */
  let outside: string[];

  beforeAll(async () => {
    t = await createTestApp({ worker: true, env: { CONTENT_API_ANON_RATE_PER_MINUTE: '10000' } });
    expect((await t.app.get(CourseImportService).importDirectory(AUTHZ_CONTENT)).counts.rejected).toBe(0);
    const f = new Factories(t);
    provinceAdmin = await createSession(t, { roles: [Role.ProvinceAdmin], orgUnit: await f.province() });
    [a, b] = await Promise.all([buildWorld(t, provinceAdmin, 'A', 0), buildWorld(t, provinceAdmin, 'B', 1)]);
    const ds = t.app.get(DataSource);
    const outline = (await t.http().get(`/v1/courses/${AUTHZ_COURSE}`).expect(200)).body;
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body;
    const definitions = (await provinceAdmin.agent.get('/v1/kpis/definitions').expect(200)).body;
    const lists = new Map<string, string>();
    for (const w of [a, b]) {
      const [row] = await ds.query(`SELECT status_list_id FROM certificate WHERE id = $1`, [w.certificateId]);
      lists.set(w.label, row.status_list_id);
    }
    const handles = new Map<string, string>();
    for (const w of [a, b]) {
      handles.set(w.label, (await w.official.agent.put('/v1/me/public-profile').send({ enabled: true })).body.handle);
    }
    shared = {
      lessonId: outline.modules[0].lessons[0].id,
      quizId: `kiem-tra-${AUTHZ_COURSE}`,
      kid: String(jwks.keys[0].kid).split('/').pop() as string,
      statusListId: (w) => lists.get(w.label) as string,
      kpiCode: definitions[0].code,
      publicUrl: t.config.http.publicUrl,
      week: isoWeek(new Date(`${localDate(new Date())}T00:00:00Z`)),
      today: localDate(new Date()),
      handle: (w) => handles.get(w.label) as string,
    };
    const doc = (await t.http().get('/openapi.json').expect(200)).body as { paths: Record<string, object> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    outside = t.app
      .get(RouteIndex)
      .list()
      .map((r) => r.replace(/:(\w+)/g, '{$1}'))
      .filter((r) => !/^(HEAD|OPTIONS) /.test(r) && !routes.includes(r));
  }, 120_000);
  afterAll(() => t?.close());

  it('every route in the OpenAPI document has an authorization rule, and every rule a route', () => {
    const missing = routes.filter((r) => !TABLE[r]).map((r) => `new route without an authorization rule: ${r}`);
    const stale = Object.keys(TABLE)
      .filter((r) => !routes.includes(r))
      .map((r) => `authorization rule for a route no longer in OpenAPI: ${r}`);
    expect([...missing, ...stale]).toEqual([]);
  });

  it('every route served outside the OpenAPI document has a rule too', () => {
    const missing = outside
      .filter((r) => !OUTSIDE_OPENAPI[r])
      .map((r) => `new route (outside OpenAPI) without an authorization rule: ${r}`);
    const stale = Object.keys(OUTSIDE_OPENAPI)
      .filter((r) => !outside.includes(r))
      .map((r) => `authorization rule for a route no longer served outside OpenAPI: ${r}`);
    expect([...missing, ...stale]).toEqual([]);
  });

  it.each(Object.keys(RULES))('%s', async (route) => {
    const rule = RULES[route];
    const [method, template] = route.split(' ');
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (names.length && !rule.params) throw new Error(`${route}: the rule needs params for ${names.join(', ')}`);
    const problems: string[] = [];
    const probe = async (w: World, actor: ActorName, expected: Outcome, side: 'own' | 'foreign') => {
      const p: Probe = { w, actor, s: shared };
      const values = rule.params?.(p) ?? [];
      let i = 0;
      const path = template.replace(/\{\w+\}/g, () => encodeURIComponent(values[i++]));
      let req: request.Test = agentFor(t, a, provinceAdmin, actor)[method.toLowerCase() as 'get'](path);
      if (rule.query) req = req.query(rule.query(p));
      const body = rule.body?.(p) ?? {};
      if (method !== 'GET') req = req.set('Idempotency-Key', randomUUID()).send(body as object);
      const sent = `${path} ${JSON.stringify(body)}`;
      const res = await req;
      const got = expected === '422' && res.status === 422 ? '422' : outcome(res.status);
      const where = `${side} ${actor} ${method} ${path}`;
      if (got !== expected) problems.push(`${where}: expected ${expected}, got ${res.status} ${brief(res)}`);
      if (
        (got !== 'ok' || res.status >= 400) &&
        res.status < 500 &&
        !/application\/problem\+json/.test(String(res.headers['content-type']))
      ) {
        problems.push(`${where}: ${res.status} is not problem+json (${res.headers['content-type']})`);
      }
      const text = res.text ?? '';
      const tokens = template.startsWith('/v1/auth/') ? [] : ['accessToken', 'refreshToken'];
      const fields = rule.apiDocs
        ? []
        : ['passwordHash', 'password_hash', 'keyHash', 'key_hash', 'secretHash', ...tokens];
      for (const field of fields) {
        if (text.includes(field)) problems.push(`${where}: the answer carries ${field}`);
      }
      if (actor !== 'provinceAdmin' && !rule.publicData) {
        // (a problem's `instance` echoes the request path: what the caller sent is no leak)
        const leaked = b.secrets.filter((secret) => text.includes(secret) && !sent.includes(secret));
        if (leaked.length) problems.push(`${where}: leaks world B's ${leaked.join(', ')}`);
      }
    };
    for (const actor of ACTORS) await probe(a, actor, rule.own[actor], 'own');
    const foreign = rule.foreign ?? (names.length ? 'hide' : 'none');
    if (foreign !== 'none') {
      const hidden = Object.fromEntries(
        ACTORS.map((x) => [x, x !== 'provinceAdmin' && rule.own[x] === 'ok' ? '404' : rule.own[x]]),
      ) as Cells;
      const cells: Cells = foreign === 'same' ? rule.own : foreign === 'hide' ? hidden : { ...hidden, ...foreign };
      for (const actor of ACTORS) await probe(b, actor, cells[actor], 'foreign');
    }
    if (process.env.AUTHZ_MATRIX_DISCOVER && problems.length)
      process.stdout.write(`${route}\n  ${problems.join('\n  ')}\n`);
    expect(problems).toEqual([]);
  });

  /** SC7: privileged properties are refused by name (forbidNonWhitelisted), never applied. */
  it.each([
    ['learner', 'PATCH', () => '/v1/me', () => ({ roles: [Role.ProvinceAdmin] }), 'roles'],
    ['learner', 'PATCH', () => '/v1/me', () => ({ status: 'active', verified: true }), 'status'],
    ['learner', 'PATCH', () => '/v1/me', () => ({ passwordHash: 'x' }), 'passwordHash'],
    [
      'learner',
      'POST',
      () => '/v1/enrollments',
      () => ({ courseSlug: AUTHZ_COURSE, userId: b.learner.user.id }),
      'userId',
    ],
    ['trainer', 'PATCH', () => `/v1/cohorts/${a.cohortId}`, () => ({ orgUnitId: b.commune.id }), 'orgUnitId'],
    [
      'trainer',
      'PATCH',
      () => `/v1/cohorts/${a.cohortId}`,
      () => ({ leadTrainerId: b.trainer.user.id }),
      'leadTrainerId',
    ],
    ['trainer', 'PATCH', () => `/v1/cohorts/${a.cohortId}`, () => ({ status: 'finished' }), 'status'],
    [
      'provinceAdmin',
      'PATCH',
      () => `/v1/integrators/${a.integratorId}`,
      () => ({ orgUnitId: b.commune.id }),
      'orgUnitId',
    ],
    [
      'enterpriseKey',
      'PUT',
      () => `/v1/enterprises/${a.enterpriseId}/workers`,
      () => ({ workers: [{ workerCode: 'NVTHU02', userId: b.learner.user.id }] }),
      'workers.0.userId',
    ],
  ] as Array<[ActorName, string, () => string, () => object, string]>)(
    'SC7: %s %s with a privileged property is refused (%#)',
    async (actor, method, path, body, field) => {
      const res = await agentFor(t, a, provinceAdmin, actor)
        [method.toLowerCase() as 'patch'](path())
        .set('Idempotency-Key', randomUUID())
        .send(body());
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    },
  );

  it('SC7: nobody promotes themselves; admins cannot move their own unit (their scope)', async () => {
    const me = (await a.learner.agent.get('/v1/me').expect(200)).body;
    expect(me.roles).toEqual([Role.Learner]);
    expect(JSON.stringify(me)).not.toMatch(/passwordHash|password_hash/);
    const province = await new Factories(t).province();
    for (const admin of [a.communeAdmin, a.parkAdmin]) {
      for (const unit of [province.id, b.commune.id]) {
        const res = await admin.agent.patch('/v1/me').send({ orgUnitId: unit }).expect(403);
        expect(res.body).toMatchObject({ code: 'ORG_UNIT_MANAGED', errors: [{ field: 'orgUnitId' }] });
      }
    }
    // Their scope did not move: world B's learner is still out of reach.
    await a.communeAdmin.agent.get(`/v1/users/${b.learner.user.id}`).expect(404);
    await a.parkAdmin.agent.get(`/v1/enterprises/${b.enterpriseId}`).expect(404);
    // Re-sending the unit they have is no change; a learner still chooses their own commune.
    await a.communeAdmin.agent.patch('/v1/me').send({ orgUnitId: a.commune.id }).expect(200);
    const mover = await createSession(t, { roles: [Role.Learner], orgUnit: a.commune });
    const moved = await mover.agent.patch('/v1/me').send({ orgUnitId: b.commune.id }).expect(200);
    expect(moved.body.orgUnitId).toBe(b.commune.id);
  });
});

function outcome(status: number): Outcome | string {
  if (status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  if (status >= 500 || status === 429) return String(status);
  return 'ok';
}

function brief(res: request.Response): string {
  const code = (res.body as { code?: string } | undefined)?.code;
  return code ? `(${code})` : '';
}

function isoWeek(d: Date): string {
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / DAY + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}
