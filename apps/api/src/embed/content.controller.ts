import { applyDecorators, Controller, Get, Param, Query, Req, SetMetadata } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@hocso/common';
import { CatalogueService } from '@hocso/courses';
import { ContentRateLimit, EmbedContentService, IntegratorsService } from '@hocso/embed';
import { ApiKeyScope } from '@hocso/identity';
import type { FastifyRequest } from 'fastify';
import { mapPage } from '../common/pagination.dto';
import {
  type CourseOutlineDto,
  CourseSummaryPageDto,
  ListCoursesQueryDto,
  mapCourseOutline,
  mapCourseSummary,
} from '../courses/dto/catalogue.dto';
import { CourseSlugParam } from '../courses/dto/catalogue.dto';
import { type LessonDto, mapLesson } from '../courses/dto/lesson.dto';
import { AUTH_POLICY, type AuthPolicy, CurrentActor } from '../http/auth/auth.decorators';
import { Cacheable } from '../http/etag.interceptor';
import { MaterialsQueryDto } from './dto/embed.dto';

const CONTENT_CACHE = { maxAge: 60, staleWhileRevalidate: 600 };

/** Anyone (web components on an integrator's page); an X-Api-Key with content:read gets its own, larger budget. */
const ContentAuth = () =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { optional: true, apiKeyScopes: [ApiKeyScope.ContentRead] } satisfies AuthPolicy),
    ApiSecurity('api-key'),
  );

/**
 * The content API for integrators: published courses, lessons and downloadable materials in the
 * catalogue's own shapes (stable, documented), with ETags, cursor pages and rate limits.
 */
@ApiTags('embed')
@Controller('v1/content')
export class ContentController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly content: EmbedContentService,
    private readonly limits: ContentRateLimit,
    private readonly integrators: IntegratorsService,
  ) {}

  @Get('courses')
  @ContentAuth()
  @Cacheable(CONTENT_CACHE)
  @ApiOkResponse({ type: CourseSummaryPageDto })
  @ApiOperation({ summary: 'Published courses (same filters and shapes as the catalogue), cursor pages' })
  async courses(@CurrentActor() actor: Actor | undefined, @Query() q: ListCoursesQueryDto, @Req() req: FastifyRequest) {
    await this.count(actor, req);
    return mapPage(await this.catalogue.list(null, q), mapCourseSummary);
  }

  @Get('courses/:slug')
  @ContentAuth()
  @Cacheable(CONTENT_CACHE)
  @ApiOperation({ summary: 'A published course outline' })
  async course(
    @CurrentActor() actor: Actor | undefined,
    @Param() p: CourseSlugParam,
    @Req() req: FastifyRequest,
  ): Promise<CourseOutlineDto> {
    await this.count(actor, req);
    return mapCourseOutline(await this.catalogue.outline(null, p.slug));
  }

  @Get('lessons/:lessonId')
  @ContentAuth()
  @Cacheable(CONTENT_CACHE)
  @ApiOperation({ summary: 'A lesson with its blocks, by id (quiz answer keys are never sent)' })
  async lesson(
    @CurrentActor() actor: Actor | undefined,
    @Param('lessonId') lessonId: string,
    @Req() req: FastifyRequest,
  ): Promise<LessonDto> {
    await this.count(actor, req);
    const slug = await this.content.courseSlugOfLesson(lessonId);
    return mapLesson(await this.catalogue.lesson(null, slug, lessonId));
  }

  @Get('materials')
  @ContentAuth()
  @Cacheable(CONTENT_CACHE)
  @ApiOperation({ summary: 'Downloadable materials (files attached to lessons), optionally of one course' })
  async materials(@CurrentActor() actor: Actor | undefined, @Query() q: MaterialsQueryDto, @Req() req: FastifyRequest) {
    await this.count(actor, req);
    const all = await this.content.materials(q.courseSlug);
    // Keyset by material id within the stable (course, lesson, position) order.
    const start = q.cursor
      ? all.findIndex((m) => m.id === Buffer.from(q.cursor as string, 'base64url').toString()) + 1
      : 0;
    const items = all.slice(start, start + q.limit);
    const more = start + q.limit < all.length;
    return {
      items,
      nextCursor: more ? Buffer.from(items[items.length - 1].id).toString('base64url') : null,
    };
  }

  private async count(actor: Actor | undefined, req: FastifyRequest): Promise<void> {
    await this.limits.consume(actor ?? null, req.ip);
    const integratorId =
      actor?.kind === 'api_key' ? actor.orgUnitId : await this.integrators.integratorForOrigin(req.headers.origin);
    this.integrators.recordUsage(integratorId, 'content_api');
  }
}
