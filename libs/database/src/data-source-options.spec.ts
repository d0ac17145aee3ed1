import { loadConfig } from '@hocso/config';
import { buildDataSourceOptions } from './data-source-options';
import { poolTimeouts } from './database.module';

describe('pool timeouts (RELIABILITY R14)', () => {
  const config = (env: Record<string, string> = {}) =>
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      JWT_SECRET: 'x'.repeat(40),
      RUN_WORKER: 'false',
      ...env,
    });

  it('the api: 10 s to connect, 60 s per statement, 60 s idle in a transaction', () => {
    expect(poolTimeouts(config(), 'hocso-api')).toEqual({
      connectMs: 10_000,
      statementMs: 60_000,
      idleInTransactionMs: 60_000,
    });
  });

  it('the worker, and an api running the jobs, get the worker statement timeout; the cli none', () => {
    expect(poolTimeouts(config(), 'hocso-worker')?.statementMs).toBe(900_000);
    expect(poolTimeouts(config({ RUN_WORKER: 'true' }), 'hocso-api')?.statementMs).toBe(900_000);
    expect(poolTimeouts(config({ DB_WORKER_STATEMENT_TIMEOUT_MS: '0' }), 'hocso-worker')?.statementMs).toBe(0);
    expect(poolTimeouts(config(), 'hocso-cli')).toBeUndefined();
  });

  it('embedded PGlite (no DATABASE_URL): the connect timeout only', () => {
    expect(poolTimeouts(config({ DATABASE_URL: '' }), 'hocso-api')).toEqual({
      connectMs: 10_000,
      statementMs: 0,
      idleInTransactionMs: 0,
    });
  });

  it('become node-postgres pool options (0 = not sent: PostgreSQL’s default, none)', () => {
    const extra = (timeouts?: Parameters<typeof buildDataSourceOptions>[0]['timeouts']) =>
      (buildDataSourceOptions({ url: 'postgres://x', poolSize: 3, migrations: [], timeouts }) as { extra: object })
        .extra;
    expect(extra({ connectMs: 10_000, statementMs: 60_000, idleInTransactionMs: 0 })).toEqual({
      max: 3,
      application_name: 'hocso',
      connectionTimeoutMillis: 10_000,
      statement_timeout: 60_000,
      query_timeout: 65_000, // the client gives up a little later than the server
      idle_in_transaction_session_timeout: 0,
    });
    expect(extra()).toEqual({ max: 3, application_name: 'hocso' });
  });

  it('refuses a negative timeout, naming the variable', () => {
    expect(() => config({ DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
