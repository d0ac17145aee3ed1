/**
 * The baseline server of the start-up and memory benchmark: a bare Fastify process answering each
 * URL of BENCH_BODIES (a JSON file: { url: { body, type } }) with those bytes — no Nest, no database.
 */
const { readFileSync } = require('node:fs');
const Fastify = require('fastify');

const bodies = process.env.BENCH_BODIES ? JSON.parse(readFileSync(process.env.BENCH_BODIES, 'utf8')) : {};
const app = Fastify({ logger: false });
app.get('/health/ready', async () => ({ status: 'ok' }));
app.get('/*', async (req, reply) => {
  const hit = bodies[req.url];
  return hit ? reply.header('content-type', hit.type).send(hit.body) : reply.code(404).send();
});
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
