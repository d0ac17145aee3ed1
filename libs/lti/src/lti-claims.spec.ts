import { errors } from 'jose';
import {
  checkAudience,
  fullNameFrom,
  isAcceptableUrl,
  isOwnUrl,
  LTI,
  localeFrom,
  mayPickContent,
  parseTarget,
  scoresUrl,
} from './lti-claims';
import { LtiException, LtiExceptionCode } from './lti.exception';
import { joseErrorCode } from './services/lti-launch.service';

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof LtiException ? err.code : String(err);
  }
};

describe('LTI claim rules', () => {
  it('aud must hold our client_id and only trusted audiences; azp is required with several, and must be ours', () => {
    const check = (payload: Record<string, unknown>) => codeOf(() => checkAudience(payload, 'tool', ['tool-b']));
    expect(check({ aud: 'tool' })).toBeNull();
    expect(check({ aud: ['tool'] })).toBeNull();
    expect(check({ aud: ['tool', 'tool-b'], azp: 'tool' })).toBeNull();
    expect(check({ aud: 'other' })).toBe(LtiExceptionCode.LTI_AUDIENCE_MISMATCH);
    expect(check({})).toBe(LtiExceptionCode.LTI_AUDIENCE_MISMATCH);
    expect(check({ aud: [1, 'tool'] })).toBe(LtiExceptionCode.LTI_AUDIENCE_MISMATCH);
    expect(check({ aud: ['tool', 'evil'], azp: 'tool' })).toBe(LtiExceptionCode.LTI_AUDIENCE_UNTRUSTED);
    expect(check({ aud: ['tool', 'tool-b'] })).toBe(LtiExceptionCode.LTI_AZP_INVALID);
    expect(check({ aud: ['tool', 'tool-b'], azp: 'tool-b' })).toBe(LtiExceptionCode.LTI_AZP_INVALID);
    expect(check({ aud: 'tool', azp: 'someone' })).toBe(LtiExceptionCode.LTI_AZP_INVALID);
  });

  it('only instructor, administrator and content developer context roles may pick content; unknown roles may not', () => {
    const m = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
    expect(mayPickContent([`${m}Instructor`])).toBe(true);
    expect(mayPickContent([`${m}Learner`, `${m}ContentDeveloper`])).toBe(true);
    expect(mayPickContent(['Administrator'])).toBe(true);
    expect(mayPickContent([`${m}Learner`])).toBe(false);
    expect(mayPickContent(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator'])).toBe(false);
    expect(mayPickContent([`${m}Instructor#TeachingAssistant`, 'urn:x:root'])).toBe(false);
    expect(mayPickContent(undefined)).toBe(false);
    expect(mayPickContent('Instructor')).toBe(false);
  });

  it('targets: custom claims first, then our embed URLs; anything else is no target', () => {
    const base = 'https://hocso.vn/app';
    const id = '0b8e3c1e-5a3d-4e44-9d3b-2b7a1f6c9a10';
    expect(parseTarget(base, `${base}/embed/courses/an-toan-so`, undefined)).toEqual({
      kind: 'course',
      slug: 'an-toan-so',
    });
    expect(parseTarget(base, `${base}/embed/lessons/${id.toUpperCase()}?x=1`, {})).toEqual({
      kind: 'lesson',
      lessonId: id,
    });
    expect(parseTarget(base, `${base}/lti/launch`, { hocso_course: 'ky-nang-so' })).toEqual({
      kind: 'course',
      slug: 'ky-nang-so',
    });
    expect(parseTarget(base, null, { hocso_lesson: id, hocso_course: 'x' })).toEqual({ kind: 'lesson', lessonId: id });
    expect(parseTarget(base, 'https://evil.vn/app/embed/courses/a', undefined)).toBeNull();
    expect(parseTarget(base, 'https://hocso.vn/embed/courses/a', undefined)).toBeNull();
    expect(parseTarget(base, `${base}/embed/courses/Bad_Slug`, undefined)).toBeNull();
    expect(parseTarget(base, `${base}/embed/lessons/not-a-uuid`, undefined)).toBeNull();
    expect(parseTarget(base, 'not a url', { hocso_course: '../x' })).toBeNull();
    expect(isOwnUrl(base, `${base}/lti/launch`)).toBe(true);
    expect(isOwnUrl(base, 'https://hocso.vn/other')).toBe(false);
  });

  it('names in the Vietnamese order, a neutral fallback; locale from launch_presentation', () => {
    expect(fullNameFrom({ name: '  Lê  Thị Hoa ' })).toBe('Lê Thị Hoa');
    expect(fullNameFrom({ given_name: 'An', middle_name: 'Văn', family_name: 'Nguyễn' })).toBe('Nguyễn Văn An');
    expect(fullNameFrom({})).toBe('Người học LTI');
    expect(fullNameFrom({ name: 'x'.repeat(500) })).toHaveLength(200);
    expect(localeFrom({ [LTI.launchPresentation]: { locale: 'en-US' } })).toBe('en');
    expect(localeFrom({ [LTI.launchPresentation]: { locale: 'vi_VN' } })).toBe('vi');
    expect(localeFrom({})).toBe('vi');
  });

  it('URLs: https (http only outside production), no credentials or fragments; scores URL keeps the query', () => {
    expect(isAcceptableUrl('https://lms.vn/jwks', true)).toBe(true);
    expect(isAcceptableUrl('http://127.0.0.1:9/jwks', true)).toBe(false);
    expect(isAcceptableUrl('http://127.0.0.1:9/jwks', false)).toBe(true);
    expect(isAcceptableUrl('https://u:p@lms.vn/', false)).toBe(false);
    expect(isAcceptableUrl('javascript:alert(1)', false)).toBe(false);
    expect(isAcceptableUrl(42, false)).toBe(false);
    expect(scoresUrl('https://lms.vn/api/lineitems/7?course=3')).toBe('https://lms.vn/api/lineitems/7/scores?course=3');
    expect(scoresUrl('https://lms.vn/li/7/')).toBe('https://lms.vn/li/7/scores');
  });

  it('maps jose failures to their codes', () => {
    expect(joseErrorCode(new errors.JWKSNoMatchingKey())).toBe(LtiExceptionCode.LTI_KEY_UNKNOWN);
    expect(joseErrorCode(new errors.JWSSignatureVerificationFailed())).toBe(LtiExceptionCode.LTI_SIGNATURE_INVALID);
    expect(joseErrorCode(new errors.JOSEAlgNotAllowed('x'))).toBe(LtiExceptionCode.LTI_ALGORITHM_UNSUPPORTED);
    expect(joseErrorCode(new errors.JWTExpired('x', {}, 'exp'))).toBe(LtiExceptionCode.LTI_TOKEN_EXPIRED);
    expect(joseErrorCode(new errors.JWTExpired('x', {}, 'iat'))).toBe(LtiExceptionCode.LTI_TOKEN_STALE);
    expect(joseErrorCode(new errors.JWTClaimValidationFailed('x', {}, 'iss'))).toBe(
      LtiExceptionCode.LTI_ISSUER_MISMATCH,
    );
    expect(joseErrorCode(new errors.JWTClaimValidationFailed('x', {}, 'exp', 'missing'))).toBe(
      LtiExceptionCode.LTI_CLAIM_MISSING,
    );
    expect(joseErrorCode(new errors.JWSInvalid())).toBe(LtiExceptionCode.LTI_TOKEN_MALFORMED);
    expect(joseErrorCode(new errors.JWKSTimeout())).toBe(LtiExceptionCode.LTI_PLATFORM_KEYS_UNAVAILABLE);
    expect(joseErrorCode(new TypeError('fetch failed'))).toBe(LtiExceptionCode.LTI_PLATFORM_KEYS_UNAVAILABLE);
  });
});
