import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/auth/auth.decorators';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** dist/web, wherever the api runs from (dist/apps/api/src/web → dist/web, or the repository root). */
function webDir(): string {
  for (const dir of [join(__dirname, '../../../../web'), join(process.cwd(), 'dist/web')]) {
    try {
      readFileSync(join(dir, 'index.html'));
      return dir;
    } catch {
      /* next */
    }
  }
  return join(process.cwd(), 'dist/web');
}

/**
 * The portal (apps/web): every page URL answers with the app shell, the built assets are served
 * from dist/web (hashed names: cached for a year), and the service worker from /sw.js so its scope
 * is the whole portal. The routes mirror apps/web/src/routes.ts.
 */
@ApiTags('web')
@Public()
@Controller()
export class WebController {
  private readonly dir = webDir();

  private send(reply: FastifyReply, file: string, cache: string): Buffer {
    const path = normalize(join(this.dir, file));
    if (!path.startsWith(this.dir)) throw new NotFoundException();
    const ext = /\.[a-z0-9]+$/.exec(file)?.[0] ?? '';
    let body: Buffer;
    try {
      body = readFileSync(path);
    } catch {
      throw new NotFoundException();
    }
    if (ext === '.js' || ext === '.css') {
      // The build wrote a gzip copy next to each script and stylesheet (cheap phones, slow links).
      reply.header('Vary', 'Accept-Encoding');
      if (/\bgzip\b/.test(String(reply.request.headers['accept-encoding'] ?? ''))) {
        try {
          const gz = readFileSync(`${path}.gz`);
          reply.header('Content-Encoding', 'gzip');
          body = gz;
        } catch {
          /* no copy: send it as it is */
        }
      }
    }
    reply.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    reply.header('Cache-Control', cache);
    return body;
  }

  /** Read per request (a few hundred bytes): a rebuild never leaves a running api serving a stale shell. */
  private page(reply: FastifyReply): Buffer {
    return this.send(reply, 'index.html', 'no-cache');
  }

  @Get()
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The portal: the course catalogue (app shell)' })
  home(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.page(reply);
  }

  @Get([
    'courses/:slug',
    'courses/:slug/lessons/:lessonId',
    'login',
    'register',
    'me/courses',
    'me/certificates',
    'me/account',
    'trainer',
    'trainer/cohorts/:id',
    'trainer/cohorts/:id/sessions/:sessionId',
    'enterprise',
    'admin',
    'admin/kpis/:code',
    'admin/people',
  ])
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Portal pages (the app shell; the page renders in the browser)' })
  pages(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.page(reply);
  }

  @Get('sw.js')
  @ApiProduces('text/javascript')
  @ApiOperation({ summary: 'The portal’s service worker (offline shell and lessons)' })
  serviceWorker(@Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('Service-Worker-Allowed', '/');
    return this.send(reply, 'sw.js', 'no-cache');
  }

  @Get(['app/:file', 'app/chunks/:file', 'app/fonts/:file'])
  @ApiProduces('text/javascript', 'text/css', 'font/woff2')
  @ApiOperation({ summary: 'Portal assets (content-hashed names, cached for a year)' })
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!/^[\w.-]+$/.test(file)) throw new NotFoundException();
    const url = reply.request.url.split('?')[0];
    const sub = url.startsWith('/app/chunks/') ? 'app/chunks' : url.startsWith('/app/fonts/') ? 'app/fonts' : 'app';
    const hashed = /-[A-Z0-9]{8}\.(js|css)$/.test(file) || sub === 'app/fonts';
    return this.send(reply, `${sub}/${file}`, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  }
}
