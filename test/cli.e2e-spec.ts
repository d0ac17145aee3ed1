import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserEntity } from '@hocso/identity';
import { createTestApp, describeWithServices, type TestApp } from '@hocso/testing';
import { DataSource } from 'typeorm';

const run = promisify(execFile);
const cli = join(__dirname, '../dist/apps/cli/src/main.js');

/** The command line, run as a real process against this file's database. */
describeWithServices('cli: migrations and admin:create', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    DATABASE_URL: t.databaseUrl as string,
    JWT_SECRET: t.config.jwt.secret,
    LOG_LEVEL: 'silent',
    ...extra,
  });

  it('migration:show lists every migration as applied', async () => {
    const { stdout } = await run(process.execPath, [cli, 'migration:show'], { env: env() });
    expect(stdout).toMatch(/\[x\] CreateIdentity\d+/);
    expect(stdout).not.toContain('[ ]');
  });

  it('admin:create makes a province admin who can sign in and manage users', async () => {
    const { stdout } = await run(process.execPath, [cli, 'admin:create'], {
      env: env({ ADMIN_EMAIL: 'Tinh@ThaiNguyen.gov.vn', ADMIN_PASSWORD: 'Quản trị viên tỉnh 19' }),
    });
    expect(stdout).toMatch(/Province admin .*: created\./);
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ identifier: 'tinh@thainguyen.gov.vn', password: 'Quản trị viên tỉnh 19' })
      .expect(200);
    await t.http().get('/v1/users').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    // Running it again promotes the same account instead of duplicating it.
    const again = await run(process.execPath, [cli, 'admin:create'], {
      env: env({ ADMIN_EMAIL: 'tinh@thainguyen.gov.vn', ADMIN_PASSWORD: 'Quản trị viên tỉnh 19' }),
    });
    expect(again.stdout).toMatch(/: promoted\./);
    expect(await t.app.get(DataSource).getRepository(UserEntity).countBy({ email: 'tinh@thainguyen.gov.vn' })).toBe(1);
  });

  it('a bad setting stops the command with one line naming it', async () => {
    await expect(run(process.execPath, [cli, 'migration:show'], { env: env({ PORT: 'abc' }) })).rejects.toMatchObject({
      code: 1,
      stderr: 'Invalid configuration: PORT must be an integer number (got "abc")\n',
    });
  });
});
