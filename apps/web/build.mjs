// Builds the portal into dist/web/ (run from anywhere: `node apps/web/build.mjs`), served by the api at /.
//
//   dist/web/index.html          the app shell (every portal URL answers with it)
//   dist/web/sw.js               the service worker (served at /sw.js, scope /)
//   dist/web/app/app-<hash>.js   the entry (ES module) and its code-split page chunks in app/chunks/
//   dist/web/app/app-<hash>.css  global styles and the self-hosted font faces; app/fonts/*.woff2
//   dist/web/app/budget.json     bytes shipped per page (gzip) — the catalogue page must stay ≤ 100 KB
//
// esbuild, not Vite: it is already the embed bundles' builder, has code splitting for ES modules and
// finishes in well under a second — a dev server is not needed to serve static files from the api.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'dist', 'web');
const appOut = join(out, 'app');
const CATALOGUE_BUDGET = 100 * 1024;
const require = createRequire(import.meta.url);

rmSync(appOut, { recursive: true, force: true });
mkdirSync(join(appOut, 'fonts'), { recursive: true });

const js = await build({
  absWorkingDir: root,
  entryPoints: { app: join(here, 'src/main.ts') },
  outdir: appOut,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  platform: 'browser',
  tsconfig: join(here, 'tsconfig.json'),
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
});
const css = await build({
  absWorkingDir: root,
  entryPoints: { app: join(here, 'src/global.css') },
  outdir: appOut,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  external: ['/app/fonts/*'],
  metafile: true,
  logLevel: 'warning',
});

// Be Vietnam Pro from @fontsource: the Vietnamese and Latin subsets of the two weights used.
const fonts = [];
for (const weight of [400, 600]) {
  for (const subset of ['vietnamese', 'latin']) {
    const file = require.resolve(`@fontsource/be-vietnam-pro/files/be-vietnam-pro-${subset}-${weight}-normal.woff2`);
    cpSync(file, join(appOut, 'fonts', `be-vietnam-pro-${subset}-${weight}.woff2`));
    fonts.push(`/app/fonts/be-vietnam-pro-${subset}-${weight}.woff2`);
  }
}

const outputs = (meta) => Object.keys(meta.outputs).map((p) => join(root, p));
const entryJs = Object.entries(js.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith('src/main.ts'))[0];
const entryCss = Object.keys(css.metafile.outputs).find((p) => p.endsWith('.css'));
const url = (p) => `/${relative(out, join(root, p)).split('\\').join('/')}`;

const shell = readFileSync(join(here, 'public/index.html'), 'utf8')
  .replaceAll('/app/__JS__', url(entryJs))
  .replaceAll('/app/__CSS__', url(entryCss));
writeFileSync(join(out, 'index.html'), shell);
cpSync(join(here, 'public/manifest.webmanifest'), join(appOut, 'manifest.webmanifest'));

// The service worker precaches the shell (index, entry, its static imports, CSS, fonts).
const staticImports = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imp of js.metafile.outputs[file]?.imports ?? []) {
    if (imp.kind === 'import-statement') staticImports(imp.path, seen);
  }
  return seen;
};
const shellFiles = [...staticImports(entryJs)].map(url);
const version = createHash('sha256')
  .update(shell)
  .update(
    outputs(js.metafile)
      .map((p) => readFileSync(p))
      .join(''),
  )
  .digest('hex')
  .slice(0, 12);
await build({
  entryPoints: [join(here, 'src/sw.ts')],
  outfile: join(out, 'sw.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  tsconfig: join(here, 'tsconfig.json'),
  define: {
    __HOCSO_VERSION__: JSON.stringify(version),
    __HOCSO_SHELL__: JSON.stringify(['/', url(entryCss), ...shellFiles, ...fonts, '/app/manifest.webmanifest']),
  },
  logLevel: 'warning',
});

// What a first visit to the catalogue page downloads: the shell's JS and CSS and the page's chunk.
const gz = (p) => gzipSync(readFileSync(join(root, p)), { level: 9 }).length;
const pageChunk = (name) =>
  Object.entries(js.metafile.outputs).find(([, o]) =>
    Object.keys(o.inputs).some((i) => i.endsWith(`src/pages/${name}.ts`)),
  )?.[0];
const catalogueFiles = new Set([...staticImports(entryJs), entryCss]);
const cataloguePage = pageChunk('catalogue');
if (cataloguePage) for (const f of staticImports(cataloguePage)) catalogueFiles.add(f);
const catalogueBytes = [...catalogueFiles].reduce((s, p) => s + gz(p), 0) + gzipSync(shell).length;
const budget = {
  cataloguePage: { files: [...catalogueFiles].map(url), gzipBytes: catalogueBytes, budget: CATALOGUE_BUDGET },
  totalJsGzipBytes: outputs(js.metafile)
    .filter((p) => p.endsWith('.js'))
    .reduce((s, p) => s + gzipSync(readFileSync(p)).length, 0),
  version,
};
writeFileSync(join(appOut, 'budget.json'), `${JSON.stringify(budget, null, 2)}\n`);
// Precompressed copies: the api sends them to browsers that accept gzip (no compression at runtime).
for (const p of [...outputs(js.metafile), ...outputs(css.metafile)].filter((f) => /\.(js|css)$/.test(f))) {
  writeFileSync(`${p}.gz`, gzipSync(readFileSync(p), { level: 9 }));
}
console.log(
  `dist/web: catalogue page ${(catalogueBytes / 1024).toFixed(1)} KB JS+CSS+HTML gzipped (budget ${CATALOGUE_BUDGET / 1024} KB); ` +
    `all JS ${(budget.totalJsGzipBytes / 1024).toFixed(1)} KB gzipped; ${fonts.length} font files`,
);
if (catalogueBytes > CATALOGUE_BUDGET) {
  console.error('web build failed: the catalogue page is over its 100 KB gzipped budget');
  process.exit(1);
}
