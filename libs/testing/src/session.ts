import { randomBytes, randomUUID } from 'node:crypto';
import { type Role } from '@hocso/common';
import { OrgUnitEntity, OrgUnitKind, PasswordService, UserEntity, UserStatus } from '@hocso/identity';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'Mật khẩu thử nghiệm 2026';

/** Data-level factories: rows inserted directly, as fixtures (never used to test the code under test). */
export class Factories {
  private readonly ds: DataSource;
  private hash?: Promise<string>;

  constructor(private readonly t: TestApp) {
    this.ds = t.app.get(DataSource);
  }

  async province(): Promise<OrgUnitEntity> {
    return this.ds.getRepository(OrgUnitEntity).findOneByOrFail({ kind: OrgUnitKind.Province });
  }

  /** A commune-level unit from the seeded province (the n-th by code). */
  async commune(n = 0): Promise<OrgUnitEntity> {
    const rows = await this.ds
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('o')
      .where('o.kind IN (:...kinds)', { kinds: [OrgUnitKind.Commune, OrgUnitKind.Ward] })
      .orderBy('o.code')
      .offset(n)
      .limit(1)
      .getMany();
    return rows[0];
  }

  async orgUnit(
    parent: OrgUnitEntity,
    kind: OrgUnitKind,
    name = `Đơn vị ${randomBytes(3).toString('hex')}`,
  ): Promise<OrgUnitEntity> {
    const repo = this.ds.getRepository(OrgUnitEntity);
    const id = randomUUID();
    return repo.save(
      repo.create({
        id,
        kind,
        name,
        code: `T${randomBytes(5).toString('hex')}`,
        parentId: parent.id,
        path: `${parent.path}${id}/`,
      }),
    );
  }

  async user(input: {
    roles: Role[];
    orgUnit?: OrgUnitEntity | null;
    email?: string;
    fullName?: string;
  }): Promise<UserEntity> {
    this.hash ??= this.t.app.get(PasswordService).hash(TEST_PASSWORD);
    const repo = this.ds.getRepository(UserEntity);
    return repo.save(
      repo.create({
        email: input.email ?? `u-${randomBytes(5).toString('hex')}@test.hocso.vn`,
        passwordHash: await this.hash,
        fullName: input.fullName ?? 'Người Thử Nghiệm',
        roles: input.roles,
        orgUnitId: input.orgUnit === undefined ? null : (input.orgUnit?.id ?? null),
        status: UserStatus.Active,
        locale: 'vi',
      }),
    );
  }
}

export interface Session {
  user: UserEntity;
  accessToken: string;
  refreshToken: string;
  /** supertest agent sending this user's Bearer token */
  agent: request.Agent;
}

/**
 * An authenticated user journey: makes the user with the given roles in the given unit, signs in
 * through the real login endpoint and returns an agent that carries the token.
 */
export async function createSession(
  t: TestApp,
  input: { roles: Role[]; orgUnit?: OrgUnitEntity | null; email?: string },
): Promise<Session> {
  const user = await new Factories(t).user(input);
  const res = await t.http().post('/v1/auth/login').send({ identifier: user.email, password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`login for fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
  const agent = t.http().set('Authorization', `Bearer ${res.body.accessToken}`);
  return { user, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, agent };
}
