// Builds the browser side of embedding into dist/web/ (run from anywhere: `node apps/embed-web/build.mjs`).
//
//   dist/web/hocso.js      <hocso-catalog>, <hocso-course>, <hocso-lesson> (Lit) — served at /embed/v1/hocso.js
//   dist/web/player.js     the script of the server-rendered /embed/* pages — served at /embed/v1/player.js
//   dist/web/manifest.json { "<file>": { sha256 (hex), integrity (SRI sha384), bytes, gzipBytes } }
//
// Both are minified ES2020 IIFEs, loaded with a plain <script src> (not type=module: the components
// read document.currentScript to learn the origin they came from). The build fails when hocso.js
// exceeds 30 KB gzipped — integrators pay for every byte on cheap phones.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outdir = join(root, 'dist', 'web');
const LIMITS = { 'hocso.js': 30 * 1024, 'player.js': 30 * 1024 };

mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { hocso: join(here, 'src/hocso/index.ts'), player: join(here, 'src/player/index.ts') },
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  tsconfig: join(here, 'tsconfig.json'),
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
});

const manifest = {};
let failed = false;
for (const file of Object.keys(LIMITS)) {
  const body = readFileSync(join(outdir, file));
  const gzipBytes = gzipSync(body, { level: 9 }).length;
  manifest[file] = {
    sha256: createHash('sha256').update(body).digest('hex'),
    integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
    bytes: body.length,
    gzipBytes,
  };
  const over = gzipBytes > LIMITS[file];
  failed ||= over;
  console.log(
    `${relative(root, join(outdir, file))}: ${(body.length / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped` +
      (over ? ` — OVER the ${LIMITS[file] / 1024} KB gzipped budget` : ` (budget ${LIMITS[file] / 1024} KB)`),
  );
}
writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
if (failed) {
  console.error('embed-web build failed: a bundle is over its gzipped size budget');
  process.exit(1);
}
