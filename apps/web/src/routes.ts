import type { Route } from './router';

const LEARNER_ROLES: string[] = [];
const TRAINERS = ['trainer', 'master_trainer', 'org_admin', 'province_admin'];
const ENTERPRISE = ['enterprise_manager', 'org_admin', 'province_admin'];
const ADMINS = ['org_admin', 'province_admin'];

/** Every page of the portal. The server answers each of these paths with the app shell. */
export const ROUTES: Route[] = [
  { path: '/', tag: 'hc-catalogue-page', load: () => import('./pages/catalogue') },
  { path: '/courses/:slug', tag: 'hc-course-page', load: () => import('./pages/course') },
  { path: '/courses/:slug/lessons/:lessonId', tag: 'hc-lesson-page', load: () => import('./pages/lesson') },
  { path: '/login', tag: 'hc-login-page', load: () => import('./pages/login') },
  { path: '/register', tag: 'hc-register-page', load: () => import('./pages/register') },
  { path: '/me/courses', tag: 'hc-my-courses-page', load: () => import('./pages/my-courses'), roles: LEARNER_ROLES },
  {
    path: '/me/certificates',
    tag: 'hc-certificates-page',
    load: () => import('./pages/certificates'),
    roles: LEARNER_ROLES,
  },
  { path: '/me/account', tag: 'hc-account-page', load: () => import('./pages/account'), roles: LEARNER_ROLES },
  { path: '/trainer', tag: 'hc-trainer-cohorts-page', load: () => import('./pages/trainer/cohorts'), roles: TRAINERS },
  {
    path: '/trainer/cohorts/:id',
    tag: 'hc-trainer-cohort-page',
    load: () => import('./pages/trainer/cohort'),
    roles: TRAINERS,
  },
  {
    path: '/trainer/cohorts/:id/sessions/:sessionId',
    tag: 'hc-attendance-page',
    load: () => import('./pages/trainer/attendance'),
    roles: TRAINERS,
  },
  {
    path: '/enterprise',
    tag: 'hc-enterprise-page',
    load: () => import('./pages/enterprise/enterprise'),
    roles: ENTERPRISE,
  },
  { path: '/admin', tag: 'hc-kpi-dashboard-page', load: () => import('./pages/admin/dashboard'), roles: ADMINS },
  {
    path: '/admin/kpis/:code',
    tag: 'hc-kpi-detail-page',
    load: () => import('./pages/admin/kpi-detail'),
    roles: ADMINS,
  },
  { path: '/admin/people', tag: 'hc-admin-people-page', load: () => import('./pages/admin/people'), roles: ADMINS },
];
