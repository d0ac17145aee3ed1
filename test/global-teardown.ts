import { adminQuery } from '../libs/testing/src/services';

export default async function globalTeardown() {
  const pgUrl = process.env.HOCSO_TEST_PG_URL;
  const template = process.env.HOCSO_TEST_TEMPLATE;
  if (process.env.HOCSO_TEST_MODE !== 'services' || !pgUrl || !template) return;
  await adminQuery(pgUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
}
