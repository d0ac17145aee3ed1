import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import type { LocalizedText } from '@hocso/common';
import {
  type Audience,
  AUDIENCES,
  COURSE_LEVELS,
  type CourseLevel,
  type CourseOutlineView,
  CourseStatus,
  type CourseSummaryView,
  type CourseVersionSummaryView,
  type OutlineLessonView,
  SLUG_PATTERN,
} from '@hocso/courses';
import { PageQueryDto } from '../../common/pagination.dto';
import { Trim } from '../../common/trim.decorator';

/** "a,b" or repeated parameters → ["a", "b"]. */
const CommaList = () =>
  Transform(({ value }) => {
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
    return parts.map((p) => (typeof p === 'string' ? p.trim() : p)).filter((p) => p !== '');
  });

export const COMPETENCY_CODE = /^[A-Z][A-Z0-9-]*:[A-Za-z0-9.:]+(@[A-Za-z0-9]+)?$/;

export class ListCoursesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Search text; accents and case are ignored ("dich vu cong" finds "Dịch vụ công"). Ranked.',
    example: 'dịch vụ công',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'One or more, comma-separated', enum: AUDIENCES, isArray: true })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(AUDIENCES.length)
  @IsIn(AUDIENCES, { each: true })
  audience?: Audience[];

  @ApiPropertyOptional({ description: 'Circular 02/2025 bậc, comma-separated', enum: COURSE_LEVELS, isArray: true })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(COURSE_LEVELS.length)
  @IsIn(COURSE_LEVELS, { each: true })
  level?: CourseLevel[];

  @ApiPropertyOptional({
    description: 'Competency codes or domains, comma-separated: TT02:2.3, TT02:6 (the whole domain), UNESCO-CFS:ETH',
    type: [String],
  })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(10)
  @Matches(COMPETENCY_CODE, { each: true })
  competency?: string[];

  @ApiPropertyOptional({ example: 'vi' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}$/)
  language?: string;

  @ApiPropertyOptional({ enum: CourseStatus, description: 'draft and archived: content editors only' })
  @IsOptional()
  @IsEnum(CourseStatus)
  status?: CourseStatus;
}

export class CourseSlugParam {
  @ApiProperty({ example: 'dich-vu-cong-truc-tuyen' })
  @IsString()
  @MaxLength(80)
  @Matches(SLUG_PATTERN)
  slug: string;
}

export class LessonParams extends CourseSlugParam {
  @ApiProperty({ description: 'Lesson id (any version of the course) or lesson slug (e.g. 01-gioi-thieu)' })
  @IsString()
  @MaxLength(100)
  @Matches(
    /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d{2,3}-[a-z0-9]+(-[a-z0-9]+)*)$/,
  )
  lessonId: string;
}

export class VersionQueryDto {
  @ApiPropertyOptional({ description: 'A version number; the latest when omitted', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class LocalizedTextDto implements LocalizedText {
  @ApiProperty({ description: 'Tiếng Việt' }) vi: string;
  @ApiProperty({ description: 'English' }) en: string;
}

export class CourseSummaryDto {
  @ApiProperty() slug: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
  @ApiProperty({ type: LocalizedTextDto }) summary: LocalizedText;
  @ApiProperty({ enum: AUDIENCES, isArray: true }) audience: Audience[];
  @ApiProperty({ enum: COURSE_LEVELS }) level: CourseLevel;
  @ApiProperty({ example: 'vi' }) language: string;
  @ApiProperty() estimatedMinutes: number;
  @ApiProperty({ type: [String], example: ['TT02:2.3'] }) competencies: string[];
  @ApiProperty({ example: 'CC-BY-4.0' }) licence: string;
  @ApiProperty({ example: '2026-11-20', description: 'YYYY-MM-DD: the day a reviewer last checked the facts' })
  lastReviewed: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() lessonCount: number;
  @ApiProperty({ enum: CourseStatus }) status: CourseStatus;
  @ApiProperty({ description: 'Latest published version number (0: never published)' }) version: number;
  @ApiPropertyOptional({ nullable: true }) publishedAt: string | null;
}

export class CourseSummaryPageDto {
  @ApiProperty({ type: [CourseSummaryDto] }) items: CourseSummaryDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export function mapCourseSummary(c: CourseSummaryView): CourseSummaryDto {
  return {
    slug: c.slug,
    title: { vi: c.title.vi, en: c.title.en },
    summary: { vi: c.summary.vi, en: c.summary.en },
    audience: c.audience,
    level: c.level,
    language: c.language,
    estimatedMinutes: c.estimatedMinutes,
    competencies: c.competencies,
    licence: c.licence,
    lastReviewed: c.lastReviewed,
    tags: c.tags,
    lessonCount: c.lessonCount,
    status: c.status,
    version: c.version,
    publishedAt: c.publishedAt?.toISOString() ?? null,
  };
}

export class VersionRefDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty({ example: 'sha256:…' }) contentHash: string;
  @ApiProperty() publishedAt: string;
}

export class OutlineLessonDto {
  @ApiProperty({ description: 'Stable for this version; GET …/lessons/{id}' }) id: string;
  @ApiProperty({ example: '01-gioi-thieu' }) slug: string;
  @ApiProperty() position: number;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
  @ApiProperty() minutes: number;
  @ApiProperty({ type: [String] }) competencies: string[];
  @ApiProperty({ type: [String], description: 'Block kinds in order (text, quiz, practice, video, image, download)' })
  blockKinds: string[];
}

export class OutlineModuleDto {
  @ApiProperty() position: number;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
  @ApiProperty({ type: [OutlineLessonDto] }) lessons: OutlineLessonDto[];
}

export class CourseOutlineDto {
  @ApiProperty() slug: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
  @ApiProperty({ type: LocalizedTextDto }) summary: LocalizedText;
  @ApiProperty({ enum: AUDIENCES, isArray: true }) audience: Audience[];
  @ApiProperty({ enum: COURSE_LEVELS }) level: CourseLevel;
  @ApiProperty() language: string;
  @ApiProperty() estimatedMinutes: number;
  @ApiProperty({ type: [String] }) competencies: string[];
  @ApiProperty() licence: string;
  @ApiProperty() lastReviewed: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() lessonCount: number;
  @ApiProperty({ enum: CourseStatus }) status: CourseStatus;
  @ApiProperty({ type: VersionRefDto, description: 'The version shown' }) version: VersionRefDto;
  @ApiProperty({ description: 'The latest version number of the course' }) latestVersion: number;
  @ApiProperty({ type: [OutlineModuleDto] }) modules: OutlineModuleDto[];
}

const mapLessonRef = (l: OutlineLessonView): OutlineLessonDto => ({
  id: l.id,
  slug: l.slug,
  position: l.position,
  title: { vi: l.title.vi, en: l.title.en },
  minutes: l.minutes,
  competencies: l.competencies,
  blockKinds: l.blockKinds,
});

export function mapCourseOutline(o: CourseOutlineView): CourseOutlineDto {
  return {
    slug: o.slug,
    title: { vi: o.title.vi, en: o.title.en },
    summary: { vi: o.summary.vi, en: o.summary.en },
    audience: o.audience,
    level: o.level,
    language: o.language,
    estimatedMinutes: o.estimatedMinutes,
    competencies: o.competencies,
    licence: o.licence,
    lastReviewed: o.lastReviewed,
    tags: o.tags,
    lessonCount: o.lessonCount,
    status: o.status,
    version: {
      id: o.version.id,
      number: o.version.number,
      contentHash: o.version.contentHash,
      publishedAt: o.version.publishedAt.toISOString(),
    },
    latestVersion: o.latestVersion,
    modules: o.modules.map((m) => ({
      position: m.position,
      title: { vi: m.title.vi, en: m.title.en },
      lessons: m.lessons.map(mapLessonRef),
    })),
  };
}

export class CourseVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty() contentHash: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty({ enum: ['import', 'authoring'] }) source: string;
  @ApiProperty({ description: 'The version new enrollments get' }) current: boolean;
}

export class CourseVersionListDto {
  @ApiProperty({ type: [CourseVersionDto] }) items: CourseVersionDto[];
}

export function mapCourseVersions(versions: CourseVersionSummaryView[]): CourseVersionListDto {
  return {
    items: versions.map((v) => ({
      id: v.id,
      number: v.number,
      contentHash: v.contentHash,
      publishedAt: v.publishedAt.toISOString(),
      source: v.source,
      current: v.current,
    })),
  };
}
