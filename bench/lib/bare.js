/** Starts and stops the bare Fastify baseline process (bench/lib/bare-server.js). */
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { elapsedMs, sleep } = require('./common');

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

/**
 * Spawns `node args` (env without DATABASE_URL/REDIS_URL/NODE_ENV, PORT and HOST set) and polls
 * GET /health/ready until it answers 200: { proc, pid, port, url, ms (spawn → ready), stop() }.
 */
async function startProcess(args, env = {}, timeoutMs = 120_000) {
  const port = await freePort();
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'BENCH_CPU_PROF']) if (!(k in env)) delete childEnv[k];
  let stderr = '';
  const t0 = process.hrtime.bigint();
  const proc = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const kill = () => proc.kill('SIGKILL');
  process.once('exit', kill);
  const stop = () =>
    new Promise((ok) => {
      process.removeListener('exit', kill);
      if (proc.exitCode != null || proc.signalCode != null) return ok();
      const t = setTimeout(kill, 30_000);
      proc.once('exit', () => {
        clearTimeout(t);
        ok();
      });
      proc.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode != null) throw new Error(`${args.join(' ')} exited ${proc.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      await res.arrayBuffer();
      if (res.status === 200) {
        return { proc, pid: proc.pid, port, url: `http://127.0.0.1:${port}`, ms: elapsedMs(t0), stop };
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`${args.join(' ')} not ready within ${timeoutMs / 1000} s: ${stderr}`);
    }
    await sleep(20);
  }
}

/** The bare Fastify baseline answering the bodies of `bodiesFile` ({ url: { body, type } }). */
const startBare = (bodiesFile) =>
  startProcess([join(__dirname, 'bare-server.js')], bodiesFile ? { BENCH_BODIES: bodiesFile } : {});

module.exports = { startProcess, startBare };
