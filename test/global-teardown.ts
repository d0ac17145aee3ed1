import { adminQuery, TEMPLATE_DB } from '../libs/testing/src/services';

export default async function globalTeardown() {
  const pgUrl = process.env.HOCSO_TEST_PG_URL;
  if (process.env.HOCSO_TEST_MODE !== 'services' || !pgUrl) return;
  await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).catch(() => undefined);
}
