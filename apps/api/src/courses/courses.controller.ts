import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { CatalogueService, CourseAuthoringService } from '@hocso/courses';
import { mapPage } from '../common/pagination.dto';
import { Authenticated, CurrentActor, OptionalAuth } from '../http/auth/auth.decorators';
import { Cacheable } from '../http/etag.interceptor';
import { Idempotent } from '../http/idempotency.interceptor';
import {
  CourseDraftDto,
  CoursePackageDto,
  mapCourseDraft,
  mapPublishResult,
  PublishResultDto,
} from './dto/authoring.dto';
import {
  CourseOutlineDto,
  CourseSlugParam,
  CourseSummaryPageDto,
  CourseVersionListDto,
  LessonParams,
  ListCoursesQueryDto,
  mapCourseOutline,
  mapCourseSummary,
  mapCourseVersions,
  VersionQueryDto,
} from './dto/catalogue.dto';
import { LessonDto, mapLesson } from './dto/lesson.dto';

const CATALOGUE_CACHE = { maxAge: 60, staleWhileRevalidate: 600 };

@ApiTags('courses')
@Controller('v1/courses')
export class CoursesController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly authoring: CourseAuthoringService,
  ) {}

  @Get()
  @OptionalAuth()
  @Cacheable(CATALOGUE_CACHE)
  @ApiOperation({ summary: 'The catalogue: filters, accent- and case-insensitive ranked search, cursor pages' })
  @ApiOkResponse({ type: CourseSummaryPageDto })
  list(@CurrentActor() actor: Actor | undefined, @Query() query: ListCoursesQueryDto): Promise<CourseSummaryPageDto> {
    return this.catalogue.list(actor ?? null, query).then((page) => mapPage(page, mapCourseSummary));
  }

  @Get(':slug')
  @OptionalAuth()
  @Cacheable(CATALOGUE_CACHE)
  @ApiOperation({ summary: 'Course outline: modules, lesson titles, minutes, competencies (latest or ?version=N)' })
  @ApiOkResponse({ type: CourseOutlineDto })
  outline(
    @CurrentActor() actor: Actor | undefined,
    @Param() params: CourseSlugParam,
    @Query() query: VersionQueryDto,
  ): Promise<CourseOutlineDto> {
    return this.catalogue.outline(actor ?? null, params.slug, query.version).then(mapCourseOutline);
  }

  @Get(':slug/versions')
  @OptionalAuth()
  @Cacheable(CATALOGUE_CACHE)
  @ApiOperation({ summary: 'Published versions of a course, newest first' })
  @ApiOkResponse({ type: CourseVersionListDto })
  versions(@CurrentActor() actor: Actor | undefined, @Param() params: CourseSlugParam): Promise<CourseVersionListDto> {
    return this.catalogue.versions(actor ?? null, params.slug).then(mapCourseVersions);
  }

  @Get(':slug/lessons/:lessonId')
  @OptionalAuth()
  @Cacheable(CATALOGUE_CACHE)
  @ApiOperation({ summary: 'A lesson with its blocks (quiz answer keys and explanations are never sent)' })
  @ApiOkResponse({ type: LessonDto })
  lesson(
    @CurrentActor() actor: Actor | undefined,
    @Param() params: LessonParams,
    @Query() query: VersionQueryDto,
  ): Promise<LessonDto> {
    return this.catalogue.lesson(actor ?? null, params.slug, params.lessonId, query.version).then(mapLesson);
  }

  @Post()
  @Authenticated(Role.ContentEditor, Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Create a course from the JSON form of a package, as a draft' })
  @ApiCreatedResponse({ type: CourseDraftDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CoursePackageDto): Promise<CourseDraftDto> {
    return this.authoring.create(actor, dto).then(mapCourseDraft);
  }

  @Get(':slug/draft')
  @Authenticated(Role.ContentEditor, Role.ProvinceAdmin)
  @ApiOperation({ summary: 'The pending draft (JSON form, answer keys included)' })
  @ApiOkResponse({ type: CourseDraftDto })
  draft(@CurrentActor() actor: Actor, @Param() params: CourseSlugParam): Promise<CourseDraftDto> {
    return this.authoring.getDraft(actor, params.slug).then(mapCourseDraft);
  }

  @Put(':slug')
  @Authenticated(Role.ContentEditor, Role.ProvinceAdmin)
  @ApiOperation({ summary: 'Replace the draft; the published version keeps serving until the draft is published' })
  @ApiOkResponse({ type: CourseDraftDto })
  update(
    @CurrentActor() actor: Actor,
    @Param() params: CourseSlugParam,
    @Body() dto: CoursePackageDto,
  ): Promise<CourseDraftDto> {
    return this.authoring.update(actor, params.slug, dto).then(mapCourseDraft);
  }

  @Post(':slug/publish')
  @HttpCode(200)
  @Authenticated(Role.ContentEditor, Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Validate the draft and publish it as a new immutable version' })
  @ApiOkResponse({ type: PublishResultDto })
  publish(@CurrentActor() actor: Actor, @Param() params: CourseSlugParam): Promise<PublishResultDto> {
    return this.authoring.publish(actor, params.slug).then(mapPublishResult);
  }

  @Post(':slug/archive')
  @HttpCode(200)
  @Authenticated(Role.ContentEditor, Role.ProvinceAdmin)
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Take the course out of the catalogue; its versions stay readable' })
  @ApiOkResponse({ type: CourseDraftDto })
  archive(@CurrentActor() actor: Actor, @Param() params: CourseSlugParam): Promise<CourseDraftDto> {
    return this.authoring.archive(actor, params.slug).then(mapCourseDraft);
  }
}
