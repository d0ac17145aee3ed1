import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { CatalogueService } from '@hocso/courses';
import { EmbedContentService, EmbedException, EmbedExceptionCode, IntegratorsService } from '@hocso/embed';
import type { FastifyReply } from 'fastify';
import { CourseSlugParam, mapCourseOutline } from '../courses/dto/catalogue.dto';
import { mapLesson } from '../courses/dto/lesson.dto';
import { Public } from '../http/auth/auth.decorators';
import { localeFrom } from '../http/locale';
import { EmbedQueryDto, OEmbedQueryDto } from './dto/embed.dto';
import { coursePage, esc, lessonPage } from './embed-html';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';

/** Links between embed pages keep the integrator (frame-ancestors) and the language. */
function linkQuery(integratorId: string | undefined, locale: 'vi' | 'en'): string {
  const qs = new URLSearchParams();
  if (integratorId) qs.set('i', integratorId);
  qs.set('lang', locale);
  return `?${qs}`;
}

/** The browser bundles built by apps/embed-web (npm run build → dist/web). */
function bundle(name: string): { body: string; etag: string } | null {
  for (const dir of [join(__dirname, '../../../web'), join(process.cwd(), 'dist/web')]) {
    try {
      const body = readFileSync(join(dir, name), 'utf8');
      return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * What other sites embed: the iframe pages (course, lesson), the web-component and player
 * scripts, and the oEmbed provider. Embed pages may be framed only by registered integrator
 * origins (Content-Security-Policy frame-ancestors); unknown sites cannot frame them.
 */
@ApiTags('embed')
@Controller()
export class EmbedController {
  private readonly bundles = new Map<string, { body: string; etag: string } | null>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalogue: CatalogueService,
    private readonly content: EmbedContentService,
    private readonly integrators: IntegratorsService,
  ) {}

  @Get('embed/courses/:slug')
  @Public()
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'A course made for an iframe (outline, start); ?i=<integratorId> narrows frame-ancestors' })
  async course(
    @Param() p: CourseSlugParam,
    @Query() q: EmbedQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const locale = q.lang ?? localeFrom(reply.request.headers['accept-language']);
    const outline = mapCourseOutline(await this.catalogue.outline(null, p.slug));
    await this.frameHeaders(reply, q.i, locale);
    this.integrators.recordUsage(q.i, 'embed_view');
    const base = this.config.http.publicUrl;
    const suffix = linkQuery(q.i, locale);
    return coursePage(outline, locale, {
      oembed: `${base}/oembed?format=json&url=${encodeURIComponent(`${base}/courses/${p.slug}`)}`,
      canonical: `${base}/courses/${p.slug}`,
      lessonHref: (id) => `/embed/lessons/${id}${suffix}`,
    });
  }

  @Get('embed/lessons/:lessonId')
  @Public()
  @ApiProduces('text/html')
  @ApiOperation({
    summary: 'A lesson made for an iframe: blocks, quizzes; progress counts once signed in (in the frame or by LTI)',
  })
  async lesson(
    @Param('lessonId') lessonId: string,
    @Query() q: EmbedQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const locale = q.lang ?? localeFrom(reply.request.headers['accept-language']);
    const slug = await this.content.courseSlugOfLesson(lessonId);
    const lesson = mapLesson(await this.catalogue.lesson(null, slug, lessonId));
    await this.frameHeaders(reply, q.i, locale);
    this.integrators.recordUsage(q.i, 'embed_view');
    const base = this.config.http.publicUrl;
    const suffix = linkQuery(q.i, locale);
    return lessonPage(lesson, locale, {
      oembed: `${base}/oembed?format=json&url=${encodeURIComponent(`${base}/lessons/${lessonId}`)}`,
      canonical: `${base}/lessons/${lessonId}`,
      lessonHref: (id) => `/embed/lessons/${id}${suffix}`,
      courseHref: `/embed/courses/${slug}${suffix}`,
    });
  }

  @Get('embed/v1/:file')
  @Public()
  @ApiProduces('text/javascript')
  @ApiOperation({
    summary: 'hocso.js (web components <hocso-catalog>, <hocso-course>, <hocso-lesson>) and player.js (embed pages)',
  })
  script(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (file !== 'hocso.js' && file !== 'player.js') {
      throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN);
    }
    if (!this.bundles.has(file) || this.config.env !== 'production') this.bundles.set(file, bundle(file));
    const b = this.bundles.get(file);
    if (!b) throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN);
    reply.header('Content-Type', 'text/javascript; charset=utf-8');
    // Loaded by <script src> from other sites: it must not be same-origin only.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
    reply.header('ETag', b.etag);
    if (reply.request.headers['if-none-match'] === b.etag) {
      reply.status(304);
      return '';
    }
    return b.body;
  }

  @Get('oembed')
  @Public()
  @ApiOperation({ summary: 'oEmbed 1.0 for course and lesson URLs (rich, an iframe to the embed page)' })
  async oembed(@Query() q: OEmbedQueryDto) {
    if (q.format && q.format !== 'json')
      throw new EmbedException(EmbedExceptionCode.OEMBED_FORMAT_UNSUPPORTED, { field: 'format' });
    const base = this.config.http.publicUrl;
    const target = this.resolve(q.url);
    if (!target) throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN, { field: 'url' });
    let title: string;
    let src: string;
    let thumbSlug: string;
    let [width, height] = [640, 480];
    if (target.kind === 'course') {
      const outline = await this.catalogue.outline(null, target.slug).catch(() => null);
      if (!outline) throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN, { field: 'url' });
      title = outline.title.vi;
      src = `${base}/embed/courses/${target.slug}`;
      thumbSlug = target.slug;
      height = 420;
    } else {
      const slug = await this.content.courseSlugOfLesson(target.lessonId).catch(() => null);
      const lesson = slug ? await this.catalogue.lesson(null, slug, target.lessonId).catch(() => null) : null;
      if (!slug || !lesson) throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN, { field: 'url' });
      title = lesson.title.vi;
      src = `${base}/embed/lessons/${target.lessonId}`;
      thumbSlug = slug;
    }
    // Keep the aspect ratio inside maxwidth × maxheight.
    const scale = Math.min(1, (q.maxwidth ?? width) / width, (q.maxheight ?? height) / height);
    width = Math.floor(width * scale);
    height = Math.floor(height * scale);
    const [tw, th] = [Math.min(480, width), Math.floor(Math.min(480, width) * 0.5625)];
    return {
      version: '1.0',
      type: 'rich',
      title,
      provider_name: 'Học Số',
      provider_url: base,
      cache_age: 3600,
      width,
      height,
      html: `<iframe src="${esc(src)}" width="${width}" height="${height}" title="${esc(title)}" loading="lazy" style="border:0;max-width:100%" allow="fullscreen"></iframe>`,
      thumbnail_url: `${base}/embed/thumbnails/${thumbSlug}.svg`,
      thumbnail_width: tw,
      thumbnail_height: th,
    };
  }

  @Get('embed/thumbnails/:file')
  @Public()
  @ApiProduces('image/svg+xml')
  async thumbnail(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const m = new RegExp(`^(${SLUG})\\.svg$`).exec(file);
    const outline = m ? await this.catalogue.outline(null, m[1]).catch(() => null) : null;
    if (!outline) throw new EmbedException(EmbedExceptionCode.OEMBED_URL_UNKNOWN);
    reply.header('Content-Type', 'image/svg+xml; charset=utf-8');
    reply.header('Cache-Control', 'public, max-age=86400');
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const words = outline.title.vi.split(' ');
    const lines: string[] = [];
    for (const w of words) {
      const last = lines[lines.length - 1];
      if (last && (last + ' ' + w).length <= 26) lines[lines.length - 1] = `${last} ${w}`;
      else lines.push(w);
    }
    const text = lines
      .slice(0, 4)
      .map((l, i) => `<text x="32" y="${110 + i * 40}" font-size="30" font-weight="600">${esc(l)}</text>`)
      .join('');
    return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270" viewBox="0 0 480 270" font-family="Be Vietnam Pro, Arial, sans-serif"><rect width="480" height="270" fill="#0b5cad"/><g fill="#fff"><text x="32" y="56" font-size="18">Học Số · ${esc(outline.level)}</text>${text}</g></svg>`;
  }

  /** Course and lesson URLs this server owns (embed pages, public pages, API paths). */
  private resolve(raw: string): { kind: 'course'; slug: string } | { kind: 'lesson'; lessonId: string } | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (url.origin !== new URL(this.config.http.publicUrl).origin) return null;
    const path = url.pathname.replace(/\/+$/, '');
    const lesson = new RegExp(`^(?:/embed)?/lessons/(${UUID})$|^/courses/${SLUG}/lessons/(${UUID})$`, 'i').exec(path);
    if (lesson) return { kind: 'lesson', lessonId: (lesson[1] ?? lesson[2]).toLowerCase() };
    const course = new RegExp(`^(?:/embed)?/courses/(${SLUG})$`).exec(path);
    if (course) return { kind: 'course', slug: course[1] };
    return null;
  }

  /** Who may frame the page (CSP frame-ancestors) and the headers an iframe page needs. */
  private async frameHeaders(reply: FastifyReply, integratorId: string | undefined, locale: 'vi' | 'en') {
    const ancestors = await this.integrators.frameAncestors(integratorId);
    const frame = ancestors.length ? ancestors.join(' ') : "'none'";
    reply.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "media-src 'self' https:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        `frame-ancestors ${frame}`,
      ].join('; '),
    );
    // frame-ancestors decides; the older X-Frame-Options header would forbid every other site.
    reply.removeHeader('X-Frame-Options');
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    reply.header('Content-Type', 'text/html; charset=utf-8');
    reply.header('Content-Language', locale);
    reply.header('Cache-Control', 'public, max-age=60');
    reply.header('Vary', 'Accept-Language');
  }
}
