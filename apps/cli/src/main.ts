import 'reflect-metadata';
import { writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, ConfigModule, loadConfigOrExit } from '@hocso/config';
import { DatabaseModule, runMigrationsLocked, stopEmbeddedPostgres } from '@hocso/database';
import { CoursesModule } from '@hocso/courses';
import { IdentityBootstrapService, IdentityModule } from '@hocso/identity';
import { QueueModule } from '@hocso/queue';
import { DataSource } from 'typeorm';
import { QUEUE_RETRY_USAGE, queueRetryCommand } from './queue-retry.command';
import { CONTENT_IMPORT_USAGE, contentImportCommand } from './content-import.command';
import { SEED_DEMO_USAGE, seedDemoCommand } from './seed-demo/seed-demo.command';
import { SeedDemoModule } from './seed-demo/seed-demo.module';

@Module({})
class CliModule {
  /** @param extra modules only some commands need (seed:demo: the workforce services) */
  static forRoot(config: AppConfig, extra: NonNullable<DynamicModule['imports']> = []): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ migrate: false, applicationName: 'hocso-cli' }),
        IdentityModule,
        CoursesModule,
        ...extra,
      ],
    };
  }
}

const USAGE = `Hocso command line
  migration:run                 apply pending migrations (under the advisory lock)
  migration:revert              revert the last applied migration
  migration:show                list migrations and whether each is applied
  migration:generate <Name>     write migrations/<epoch>-<Name>.ts from the difference between the
                                entities and the database (review the SQL before committing)
  admin:create                  create (or promote) a province admin; ADMIN_EMAIL/ADMIN_PASSWORD or prompts
${CONTENT_IMPORT_USAGE}
${SEED_DEMO_USAGE}
${QUEUE_RETRY_USAGE}
`;

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: stdin, output: stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

async function generate(ds: DataSource, name: string) {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('name must be PascalCase, e.g. AddCohortCapacity');
  const sql = await ds.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('No changes: the database matches the entities.');
    return;
  }
  const ts = Date.now();
  const esc = (q: string) => q.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
  const up = sql.upQueries.map((q) => `    await q.query(\`${esc(q.query)}\`);`).join('\n');
  const down = sql.downQueries
    .reverse()
    .map((q) => `    await q.query(\`${esc(q.query)}\`);`)
    .join('\n');
  const file = resolve('migrations', `${ts}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  public async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  const index = resolve('migrations', 'index.ts');
  const text = readFileSync(index, 'utf8')
    .replace(/(\n\/\*\*)/, `import { ${name}${ts} } from './${ts}-${name}';\n$1`)
    .replace(/\];\s*$/, `, ${name}${ts}];\n`);
  writeFileSync(index, text);
  console.log(`Wrote ${join('migrations', `${ts}-${name}.ts`)} and registered it in migrations/index.ts — review it.`);
}

async function main() {
  const [command, arg] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfigOrExit();
  const extra = command === 'seed:demo' ? [SeedDemoModule] : command === 'queue:retry-failed' ? [QueueModule] : [];
  const ctx = await NestFactory.createApplicationContext(CliModule.forRoot(config, extra), {
    logger: ['error', 'warn', 'log'],
  });
  const ds = ctx.get(DataSource);
  try {
    switch (command) {
      case 'migration:run': {
        const applied = await runMigrationsLocked(ds);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.');
        break;
      }
      case 'migration:revert':
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        break;
      case 'migration:show': {
        const executed = new Set(
          (await ds.query(`SELECT name FROM typeorm_migrations`).catch(() => [])).map((r: { name: string }) => r.name),
        );
        for (const m of ds.migrations) console.log(`${executed.has(m.name as string) ? '[x]' : '[ ]'} ${m.name}`);
        break;
      }
      case 'migration:generate':
        if (!arg) throw new Error('usage: migration:generate <PascalCaseName>');
        await generate(ds, arg);
        break;
      case 'admin:create': {
        await runMigrationsLocked(ds);
        const bootstrap = ctx.get(IdentityBootstrapService);
        await bootstrap.seedOrgUnits();
        const email = config.admin?.email ?? (await prompt('E-mail: '));
        const password = config.admin?.password ?? (await prompt('Password (≥ 8 characters): '));
        const outcome = await bootstrap.ensureProvinceAdmin(email, password, 'Quản trị viên tỉnh', true);
        console.log(`Province admin ${email}: ${outcome}.`);
        break;
      }
      case 'content:import':
        process.exitCode = await contentImportCommand(ctx, process.argv.slice(3));
        break;
      case 'seed:demo':
        process.exitCode = await seedDemoCommand(ctx, config, process.argv.slice(3));
        break;
      case 'queue:retry-failed':
        process.exitCode = await queueRetryCommand(ctx, process.argv.slice(3));
        break;
      default:
        console.log(USAGE);
        process.exitCode = 2;
    }
  } finally {
    await ctx.close();
    await stopEmbeddedPostgres();
  }
}

main().catch(async (err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  await stopEmbeddedPostgres();
  process.exit(1);
});
