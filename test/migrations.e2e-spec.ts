import { randomBytes } from 'node:crypto';
import { buildDataSourceOptions, MIGRATIONS_TABLE } from '@hocso/database';
import { adminQuery, currentServices, describeWithServices, withDatabase } from '@hocso/testing';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../migrations';

/** Every migration applies to an empty database, reverts cleanly, and applies again. */
describeWithServices('migrations up and down on an empty database', () => {
  const services = currentServices();
  const name = `hocso_mig_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;

  beforeAll(async () => {
    await adminQuery(services.pgAdminUrl as string, `CREATE DATABASE ${name}`);
    ds = new DataSource(
      buildDataSourceOptions({
        url: withDatabase(services.pgAdminUrl as string, name),
        poolSize: 2,
        migrations: ALL_MIGRATIONS,
      }),
    );
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await adminQuery(services.pgAdminUrl as string, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  const tables = async () =>
    (
      await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> $1 ORDER BY 1`,
        [MIGRATIONS_TABLE],
      )
    ).map((r: { table_name: string }) => r.table_name);

  it('up: creates every table; nothing pending afterwards', async () => {
    expect(await tables()).toEqual([]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(ALL_MIGRATIONS.map((M) => new M().name ?? M.name));
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'api_key',
        'app_user',
        'consent_record',
        'data_rights_request',
        'idempotency_key',
        'org_unit',
        'refresh_token',
      ]),
    );
    expect(await ds.showMigrations()).toBe(false);
  });

  it('down: reverting every migration leaves no table behind', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
  });

  it('up again after down', async () => {
    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.showMigrations()).toBe(false);
    expect((await tables()).length).toBeGreaterThanOrEqual(7);
  });
});
