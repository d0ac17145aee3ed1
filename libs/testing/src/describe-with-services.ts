/**
 * Suites that need real PostgreSQL + Redis (Redis-backed queues and limiters, worker processing
 * inside Jest). In the embedded fallback (no services reachable, REQUIRE_SERVICES unset) they are
 * reported as skipped; CI sets REQUIRE_SERVICES=1, so there they always run.
 */
export const describeWithServices: jest.Describe =
  process.env.HOCSO_TEST_MODE === 'embedded' ? describe.skip : describe;
