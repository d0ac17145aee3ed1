import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { LoginDto } from '../auth/dto/auth.dto';
import { canonicalJson } from './idempotency.interceptor';
import { localeFrom } from './locale';
import { RouteIndex } from './route-index';
import { flattenValidationErrors } from './validation-messages';

describe('localeFrom (Accept-Language)', () => {
  it.each([
    [undefined, 'vi'],
    ['', 'vi'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR, en;q=0.5', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['en;q=0.4, vi;q=0.8', 'vi'],
    ['de, fr', 'vi'],
    ['en;q=0', 'vi'],
  ])('%j → %s', (header, locale) => {
    expect(localeFrom(header)).toBe(locale);
  });
});

describe('canonicalJson', () => {
  it('ignores key order, keeps array order and types', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] })).toBe(
      canonicalJson({ a: [2, { c: 'x', d: null }], b: 1 }),
    );
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('RouteIndex', () => {
  const routes = new RouteIndex();
  routes.add(['GET', 'HEAD'], '/v1/users/:id');
  routes.add('PATCH', '/v1/users/:id/roles');
  routes.add('POST', '/v1/users');

  it('lists the methods a path supports', () => {
    expect(routes.allowedMethods('/v1/users/123')).toEqual(['GET', 'HEAD']);
    expect(routes.allowedMethods('/v1/users?x=1')).toEqual(['POST']);
    expect(routes.allowedMethods('/v1/nothing')).toEqual([]);
  });
});

describe('validation messages', () => {
  const errors = validateSync(plainToInstance(LoginDto, { identifier: 7, extra: 1 }), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });

  it('names each field and speaks Vietnamese by default', () => {
    const vi = flattenValidationErrors(errors, 'vi');
    expect(vi).toContainEqual(expect.objectContaining({ field: 'identifier', message: 'Phải là chuỗi ký tự.' }));
    expect(vi).toContainEqual(expect.objectContaining({ field: 'password', message: 'Phải là chuỗi ký tự.' }));
    expect(vi).toContainEqual(
      expect.objectContaining({ field: 'extra', message: 'Trường này không được phép gửi lên.' }),
    );
  });

  it('and English on request', () => {
    const en = flattenValidationErrors(errors, 'en');
    expect(en).toContainEqual(expect.objectContaining({ field: 'identifier', message: 'identifier must be a string' }));
  });
});
