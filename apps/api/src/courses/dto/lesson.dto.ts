import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { LocalizedText } from '@hocso/common';
import { type Block, type LessonView, optionId, type Question, shuffledOrderingItems } from '@hocso/courses';
import { LocalizedTextDto } from './catalogue.dto';

/*
 * What learners see of a lesson. Every block is copied field by field from an allowlist: quiz
 * answer keys (`correct`, `answer`, the order of ordering items) and explanations are never copied,
 * so they cannot leave the server before an attempt is graded.
 */

export class TextBlockDto {
  @ApiProperty({ enum: ['text'] }) kind: 'text';
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Markdown' }) markdown: string;
}

export class ChoiceDto {
  @ApiProperty({ description: 'Send this id when answering', example: 'a' }) id: string;
  @ApiProperty() text: string;
}

export class QuizQuestionDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['single', 'multiple', 'truefalse', 'ordering'] }) type: Question['type'];
  @ApiProperty() prompt: string;
  @ApiPropertyOptional({ type: [ChoiceDto], description: 'single and multiple: the options, as authored' })
  options?: ChoiceDto[];
  @ApiPropertyOptional({
    type: [ChoiceDto],
    description: 'ordering: the items, shuffled; answer with the ids in order',
  })
  items?: ChoiceDto[];
}

export class QuizBlockDto {
  @ApiProperty({ enum: ['quiz'] }) kind: 'quiz';
  @ApiProperty() id: string;
  @ApiProperty({ description: 'For POST /v1/courses/{slug}/quizzes/{quizId}/attempts' }) quizId: string;
  @ApiPropertyOptional() title?: string;
  @ApiProperty({ description: 'Share of points needed to pass (0–1]' }) passMark: number;
  @ApiProperty() questionCount: number;
  @ApiProperty({ type: [QuizQuestionDto] }) questions: QuizQuestionDto[];
}

export class PracticeBlockDto {
  @ApiProperty({ enum: ['practice'] }) kind: 'practice';
  @ApiProperty() id: string;
  @ApiProperty() practiceId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() scenario?: string;
  @ApiProperty({ type: [String] }) steps: string[];
  @ApiProperty({ type: [String], description: 'What the learner ticks off' }) checklist: string[];
}

export class CaptionTrackDto {
  @ApiProperty({ example: 'vi' }) lang: string;
  @ApiProperty({ description: 'WebVTT' }) url: string;
  @ApiPropertyOptional() label?: string;
}

export class VideoBlockDto {
  @ApiProperty({ enum: ['video'] }) kind: 'video';
  @ApiProperty() id: string;
  @ApiPropertyOptional() title?: string;
  @ApiProperty() url: string;
  @ApiProperty() durationSeconds: number;
  @ApiProperty({ type: [CaptionTrackDto] }) captions: CaptionTrackDto[];
  @ApiPropertyOptional() transcript?: string;
}

export class ImageBlockDto {
  @ApiProperty({ enum: ['image'] }) kind: 'image';
  @ApiProperty() id: string;
  @ApiProperty() src: string;
  @ApiProperty() alt: string;
  @ApiPropertyOptional() caption?: string;
}

export class DownloadBlockDto {
  @ApiProperty({ enum: ['download'] }) kind: 'download';
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() url: string;
  @ApiProperty({ example: 'application/pdf' }) mimeType: string;
  @ApiProperty() sizeBytes: number;
}

export type LessonBlockDto =
  | TextBlockDto
  | QuizBlockDto
  | PracticeBlockDto
  | VideoBlockDto
  | ImageBlockDto
  | DownloadBlockDto;

export class LessonRefDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
}

export class LessonCourseDto {
  @ApiProperty() slug: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
}

export class LessonVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
}

export class LessonModuleDto {
  @ApiProperty() position: number;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
}

@ApiExtraModels(TextBlockDto, QuizBlockDto, PracticeBlockDto, VideoBlockDto, ImageBlockDto, DownloadBlockDto)
export class LessonDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() position: number;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedText;
  @ApiProperty() minutes: number;
  @ApiProperty({ type: [String] }) competencies: string[];
  @ApiProperty({ type: LessonCourseDto }) course: LessonCourseDto;
  @ApiProperty({ type: LessonVersionDto }) version: LessonVersionDto;
  @ApiProperty({ type: LessonModuleDto }) module: LessonModuleDto;
  @ApiPropertyOptional({ type: LessonRefDto, nullable: true }) previous: LessonRefDto | null;
  @ApiPropertyOptional({ type: LessonRefDto, nullable: true }) next: LessonRefDto | null;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [TextBlockDto, QuizBlockDto, PracticeBlockDto, VideoBlockDto, ImageBlockDto, DownloadBlockDto].map(
        (m) => ({
          $ref: getSchemaPath(m),
        }),
      ),
      discriminator: { propertyName: 'kind' },
    },
  })
  blocks: LessonBlockDto[];
}

const text = (t: LocalizedText): LocalizedText => ({ vi: t.vi, en: t.en });

function mapQuestion(q: Question): QuizQuestionDto {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        options: q.options.map((o, i) => ({ id: optionId(i), text: o.text })),
      };
    case 'truefalse':
      // Answered with the option id "true" or "false".
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        options: [
          { id: 'true', text: 'Đúng' },
          { id: 'false', text: 'Sai' },
        ],
      };
    case 'ordering':
      return { id: q.id, type: q.type, prompt: q.prompt, items: shuffledOrderingItems(q) };
  }
}

export function mapBlock(id: string, b: Block): LessonBlockDto {
  switch (b.kind) {
    case 'text':
      return { kind: 'text', id, markdown: b.markdown };
    case 'quiz':
      return {
        kind: 'quiz',
        id,
        quizId: b.id,
        ...(b.title ? { title: b.title } : {}),
        passMark: b.passMark,
        questionCount: b.questions.length,
        questions: b.questions.map(mapQuestion),
      };
    case 'practice':
      return {
        kind: 'practice',
        id,
        practiceId: b.id,
        title: b.title,
        ...(b.scenario ? { scenario: b.scenario } : {}),
        steps: [...b.steps],
        checklist: [...b.checklist],
      };
    case 'video':
      return {
        kind: 'video',
        id,
        ...(b.title ? { title: b.title } : {}),
        url: b.url,
        durationSeconds: b.durationSeconds,
        captions: b.captions.map((c) => ({ lang: c.lang, url: c.url, ...(c.label ? { label: c.label } : {}) })),
        ...(b.transcript ? { transcript: b.transcript } : {}),
      };
    case 'image':
      return { kind: 'image', id, src: b.src, alt: b.alt, ...(b.caption ? { caption: b.caption } : {}) };
    case 'download':
      return { kind: 'download', id, title: b.title, url: b.url, mimeType: b.mimeType, sizeBytes: b.sizeBytes };
  }
}

export function mapLesson(l: LessonView): LessonDto {
  const ref = (r: LessonView['previous']) => (r ? { id: r.id, slug: r.slug, title: text(r.title) } : null);
  return {
    id: l.id,
    slug: l.slug,
    position: l.position,
    title: text(l.title),
    minutes: l.minutes,
    competencies: l.competencies,
    course: { slug: l.course.slug, title: text(l.course.title) },
    version: { id: l.version.id, number: l.version.number },
    module: { position: l.module.position, title: text(l.module.title) },
    previous: ref(l.previous),
    next: ref(l.next),
    blocks: l.blocks.map((b) => mapBlock(b.id, b.block)),
  };
}
