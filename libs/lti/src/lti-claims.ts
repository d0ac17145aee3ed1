import { isUuid, normalizeText } from '@hocso/common';
import type { JWTPayload } from 'jose';
import { LtiException, LtiExceptionCode } from './lti.exception';

/** Claim names of LTI 1.3 Core, Deep Linking 2.0 and AGS 2.0 (1EdTech). */
export const LTI = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  data: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
} as const;

export const LTI_VERSION = '1.3.0';
export const AGS_SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

export enum LtiMessageType {
  ResourceLink = 'LtiResourceLinkRequest',
  DeepLinking = 'LtiDeepLinkingRequest',
  DeepLinkingResponse = 'LtiDeepLinkingResponse',
}

/**
 * Context roles that may use Deep Linking inside the launch that carries them — and nothing else in
 * Hocso (least privilege): every LTI account is a plain learner.
 */
const CONTENT_PICKER_ROLES = new Set([
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  // LTI 1.3 still allows the simple names for context roles
  'Instructor',
  'Administrator',
  'ContentDeveloper',
]);

/** True when one of the launch's roles lets its holder pick content (Deep Linking). Unknown roles: no. */
export function mayPickContent(roles: unknown): boolean {
  return Array.isArray(roles) && roles.some((r) => typeof r === 'string' && CONTENT_PICKER_ROLES.has(r));
}

/**
 * 1EdTech Security Framework §5.1.3 (3)–(5): `aud` must contain our client_id and nothing we do not
 * trust (other client ids registered for the same issuer); with several audiences `azp` is required,
 * and whenever `azp` is present it must be our client_id.
 */
export function checkAudience(payload: JWTPayload, clientId: string, trusted: readonly string[]): void {
  const aud = payload.aud;
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!list.every((a) => typeof a === 'string') || !list.includes(clientId)) {
    throw new LtiException(LtiExceptionCode.LTI_AUDIENCE_MISMATCH, { field: 'aud' });
  }
  if (list.some((a) => a !== clientId && !trusted.includes(a))) {
    throw new LtiException(LtiExceptionCode.LTI_AUDIENCE_UNTRUSTED, { field: 'aud' });
  }
  const azp = (payload as { azp?: unknown }).azp;
  if ((list.length > 1 && azp === undefined) || (azp !== undefined && azp !== clientId)) {
    throw new LtiException(LtiExceptionCode.LTI_AZP_INVALID, { field: 'azp' });
  }
}

export type LtiTarget = { kind: 'course'; slug: string } | { kind: 'lesson'; lessonId: string };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * What a launch opens: the custom claims `hocso_course` / `hocso_lesson` (set by our deep-linking
 * items) first, else a target link URI `${publicUrl}/embed/courses/{slug}` or
 * `${publicUrl}/embed/lessons/{lessonId}`. Anything else is null.
 */
export function parseTarget(publicUrl: string, targetLinkUri: unknown, custom: unknown): LtiTarget | null {
  if (custom && typeof custom === 'object') {
    const c = custom as Record<string, unknown>;
    if (typeof c.hocso_lesson === 'string' && isUuid(c.hocso_lesson)) {
      return { kind: 'lesson', lessonId: c.hocso_lesson.toLowerCase() };
    }
    if (typeof c.hocso_course === 'string' && SLUG.test(c.hocso_course))
      return { kind: 'course', slug: c.hocso_course };
  }
  if (typeof targetLinkUri !== 'string') return null;
  let url: URL;
  let base: URL;
  try {
    url = new URL(targetLinkUri);
    base = new URL(publicUrl);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) return null;
  const m = /^\/embed\/(courses|lessons)\/([^/]+)\/?$/.exec(url.pathname.slice(prefix.length));
  if (!m) return null;
  const id = decodeURIComponent(m[2]);
  if (m[1] === 'courses') return SLUG.test(id) ? { kind: 'course', slug: id } : null;
  return isUuid(id) ? { kind: 'lesson', lessonId: id.toLowerCase() } : null;
}

/** Is `uri` an address under our PUBLIC_URL (login initiation's target_link_uri)? */
export function isOwnUrl(publicUrl: string, uri: string): boolean {
  try {
    const url = new URL(uri);
    const base = new URL(publicUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    return url.origin === base.origin && (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
  } catch {
    return false;
  }
}

export const embedUrl = (publicUrl: string, target: LtiTarget): string =>
  target.kind === 'course'
    ? `${publicUrl}/embed/courses/${encodeURIComponent(target.slug)}`
    : `${publicUrl}/embed/lessons/${target.lessonId}`;

const MAX_NAME = 200;
const str = (v: unknown) => (typeof v === 'string' ? normalizeText(v) : '');

/**
 * The account's full name from the OIDC claims: `name`, else family + middle + given name in the
 * Vietnamese order (Nguyễn Văn An), else a neutral placeholder.
 */
export function fullNameFrom(payload: JWTPayload): string {
  const name = str(payload.name);
  const built = [payload.family_name, payload.middle_name, payload.given_name].map(str).filter(Boolean).join(' ');
  return (name || built || 'Người học LTI').slice(0, MAX_NAME);
}

/** `launch_presentation.locale` (en, en-US…) → en, anything else → vi. */
export function localeFrom(payload: JWTPayload): 'vi' | 'en' {
  const lp = payload[LTI.launchPresentation] as { locale?: unknown } | undefined;
  return typeof lp?.locale === 'string' && /^en\b/i.test(lp.locale) ? 'en' : 'vi';
}

/** A URL the tool may call or redirect to: absolute, http(s), https required in production. */
export function isAcceptableUrl(value: unknown, production: boolean): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    if (url.username || url.password || url.hash) return false;
    return url.protocol === 'https:' || (!production && url.protocol === 'http:');
  } catch {
    return false;
  }
}

/** `{lineitem}/scores`, keeping the line item URL's query string (AGS 2.0 §3.4). */
export function scoresUrl(lineitem: string): string {
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
  return url.toString();
}
