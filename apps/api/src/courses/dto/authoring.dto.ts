import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  AUDIENCES,
  COURSE_LEVELS,
  type CourseDraftView,
  type CoursePackage,
  CourseStatus,
  type PublishResultView,
} from '@hocso/courses';
import { VersionRefDto } from './catalogue.dto';

/*
 * The JSON form of a course package (content/README.md, content/schema/course-package.schema.json).
 * These classes check the shape; the courses library then applies every rule of the package format
 * (the same validator as `npm run content:import`) and answers 400 PACKAGE_INVALID with one entry
 * per problem, each naming its field ("modules.0.lessons.1.blocks.2.questions.0.options").
 */

export class LocalizedTextInputDto {
  @ApiProperty({ example: 'Sử dụng dịch vụ công trực tuyến' })
  @IsString()
  @MaxLength(2000)
  vi: string;

  @ApiProperty({ example: 'Using online public services' })
  @IsString()
  @MaxLength(2000)
  en: string;
}

export class LessonInputDto {
  @ApiProperty({ example: '01-gioi-thieu', description: 'NN-name, unique in the course' })
  @IsString()
  @MaxLength(100)
  slug: string;

  @ApiProperty({ type: LocalizedTextInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextInputDto)
  title: LocalizedTextInputDto;

  @ApiProperty({ example: 15 })
  @IsInt()
  minutes: number;

  @ApiProperty({ type: [String], example: ['TT02:2.3'] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  competencies: string[];

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Blocks in order, each with "kind": text {markdown} | quiz {id, passMark, questions} | practice {id, title, ' +
      'scenario?, steps, checklist} | video {url, durationSeconds, captions, transcript?} | image {src, alt, caption?} | ' +
      'download {title, url, mimeType, sizeBytes}. See content/schema/course-package.schema.json.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  blocks: Array<Record<string, unknown>>;
}

export class ModuleInputDto {
  @ApiProperty({ type: LocalizedTextInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextInputDto)
  title: LocalizedTextInputDto;

  @ApiProperty({ type: [LessonInputDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => LessonInputDto)
  lessons: LessonInputDto[];
}

export class CoursePackageDto {
  @ApiProperty({ example: 'dich-vu-cong-truc-tuyen' })
  @IsString()
  @MaxLength(80)
  slug: string;

  @ApiProperty({ type: LocalizedTextInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextInputDto)
  title: LocalizedTextInputDto;

  @ApiProperty({ type: LocalizedTextInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextInputDto)
  summary: LocalizedTextInputDto;

  @ApiProperty({ enum: AUDIENCES, isArray: true })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  audience: string[];

  @ApiProperty({ enum: COURSE_LEVELS })
  @IsString()
  level: string;

  @ApiProperty({ example: 'vi' })
  @IsString()
  language: string;

  @ApiProperty({ example: 90 })
  @IsInt()
  estimatedMinutes: number;

  @ApiProperty({ type: [String], example: ['TT02:2.3', 'TT02:1.1'] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  competencies: string[];

  @ApiProperty({ example: 'CC-BY-4.0' })
  @IsString()
  licence: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsString()
  lastReviewed: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  tags?: string[];

  @ApiProperty({ type: [ModuleInputDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ModuleInputDto)
  modules: ModuleInputDto[];
}

export class LatestVersionDto {
  @ApiProperty() number: number;
  @ApiProperty() contentHash: string;
}

export class CourseDraftDto {
  @ApiProperty() slug: string;
  @ApiProperty({ enum: CourseStatus }) status: CourseStatus;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The pending draft (JSON form, answer keys included: editors only); null when none',
  })
  draft: CoursePackage | null;
  @ApiPropertyOptional({ nullable: true }) draftHash: string | null;
  @ApiPropertyOptional({ nullable: true }) draftUpdatedAt: string | null;
  @ApiPropertyOptional({ type: LatestVersionDto, nullable: true }) latestVersion: LatestVersionDto | null;
}

export function mapCourseDraft(d: CourseDraftView): CourseDraftDto {
  return {
    slug: d.slug,
    status: d.status,
    draft: d.draft,
    draftHash: d.draftHash,
    draftUpdatedAt: d.draftUpdatedAt?.toISOString() ?? null,
    latestVersion: d.latestVersion
      ? { number: d.latestVersion.number, contentHash: d.latestVersion.contentHash }
      : null,
  };
}

export class PublishResultDto {
  @ApiProperty() slug: string;
  @ApiProperty({ enum: CourseStatus }) status: CourseStatus;
  @ApiProperty({ type: VersionRefDto }) version: VersionRefDto;
  @ApiProperty({ description: 'false when the draft equalled the latest version (no new version)' }) created: boolean;
}

export function mapPublishResult(r: PublishResultView): PublishResultDto {
  return {
    slug: r.slug,
    status: r.status,
    created: r.created,
    version: {
      id: r.version.id,
      number: r.version.number,
      contentHash: r.version.contentHash,
      publishedAt: r.version.publishedAt.toISOString(),
    },
  };
}
