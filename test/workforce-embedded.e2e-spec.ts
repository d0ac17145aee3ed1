import { Role } from '@hocso/common';
import { createSession, createTestApp, type TestApp } from '@hocso/testing';
import { ComplianceService } from '@hocso/workforce';
import { createOrg, putWorkers } from './fixtures/workforce-setup';

/**
 * Embedded mode (PGlite: one connection). Roster changes, invitation acceptance and recomputes
 * once read settings or linked workers' minutes through the pool while their own transaction held the
 * only connection, and waited for ever; those reads now come before the transaction or through it.
 */
describe('workforce on embedded PGlite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ mode: 'embedded' });
  }, 120_000);
  afterAll(() => t?.close());

  it('recomputes an enterprise-week whose worker is linked to an account', async () => {
    const org = await createOrg(t);
    await putWorkers(org, [{ workerCode: 'E1' }, { workerCode: 'E2' }]);
    const inv = await org.api().post(`/v1/enterprises/${org.enterpriseId}/workers/E1/invitations`).expect(201);
    const user = await createSession(t, { roles: [Role.Learner] });
    await user.agent.post('/v1/worker-invitations/accept').send({ token: inv.body.token }).expect(200);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('recomputeMany did not finish in 20 s (the PGlite deadlock)')), 20_000);
    });
    try {
      const [result] = await Promise.race([
        t.app.get(ComplianceService).recomputeMany([org.enterpriseId], '2026-W11'),
        hung,
      ]);
      expect(result).toMatchObject({ enterpriseId: org.enterpriseId, activeWorkers: 2, coveredWorkers: 0 });
    } finally {
      clearTimeout(timer);
    }
  }, 60_000);
});
