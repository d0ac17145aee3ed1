import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import type { EntityManager } from 'typeorm';
import { XapiStatementEntity } from '../entities/xapi-statement.entity';

/** ADL verbs used by Hocso (xAPI 2.0 / cmi5 vocabulary). */
export const XAPI_VERBS = {
  attempted: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'vi-VN': 'bắt đầu', 'en-US': 'attempted' } },
  experienced: {
    id: 'http://adlnet.gov/expapi/verbs/experienced',
    display: { 'vi-VN': 'đã xem', 'en-US': 'experienced' },
  },
  progressed: {
    id: 'http://adlnet.gov/expapi/verbs/progressed',
    display: { 'vi-VN': 'tiến triển', 'en-US': 'progressed' },
  },
  completed: {
    id: 'http://adlnet.gov/expapi/verbs/completed',
    display: { 'vi-VN': 'hoàn thành', 'en-US': 'completed' },
  },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'vi-VN': 'đạt', 'en-US': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'vi-VN': 'chưa đạt', 'en-US': 'failed' } },
} as const;

export type XapiVerb = keyof typeof XAPI_VERBS;

const ACTIVITY_TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  media: 'http://adlnet.gov/expapi/activities/media',
} as const;

export interface XapiObjectRef {
  kind: keyof typeof ACTIVITY_TYPES;
  courseSlug: string;
  lessonSlug?: string;
  quizId?: string;
  blockId?: string;
}

/**
 * Turns learning facts into xAPI statements: the actor is an account on this Hocso (never a name
 * or an e-mail), activity IRIs live under PUBLIC_URL.
 */
@Injectable()
export class XapiBuilder {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  activityId(ref: XapiObjectRef): string {
    const base = `${this.config.http.publicUrl}/courses/${encodeURIComponent(ref.courseSlug)}`;
    if (ref.kind === 'course') return base;
    const lesson = `${base}/lessons/${encodeURIComponent(ref.lessonSlug ?? '')}`;
    if (ref.kind === 'assessment') return `${base}/quizzes/${encodeURIComponent(ref.quizId ?? '')}`;
    if (ref.kind === 'media') return `${lesson}/blocks/${encodeURIComponent(ref.blockId ?? '')}`;
    return lesson;
  }

  build(input: {
    userId: string;
    verb: XapiVerb;
    object: XapiObjectRef;
    timestamp: Date;
    result?: Record<string, unknown>;
    registration?: string;
  }): XapiStatementEntity {
    const id = randomUUID();
    const statement: Record<string, unknown> = {
      id,
      actor: { objectType: 'Agent', account: { homePage: this.config.http.publicUrl, name: input.userId } },
      verb: XAPI_VERBS[input.verb],
      object: {
        objectType: 'Activity',
        id: this.activityId(input.object),
        definition: { type: ACTIVITY_TYPES[input.object.kind] },
      },
      timestamp: input.timestamp.toISOString(),
      version: '2.0.0',
    };
    if (input.result) statement.result = input.result;
    if (input.registration || input.object.kind !== 'course') {
      statement.context = {
        ...(input.registration ? { registration: input.registration } : {}),
        contextActivities:
          input.object.kind === 'course'
            ? undefined
            : { parent: [{ id: this.activityId({ kind: 'course', courseSlug: input.object.courseSlug }) }] },
        platform: 'Hocso',
        language: 'vi-VN',
      };
    }
    const row = new XapiStatementEntity();
    Object.assign(row, {
      id,
      userId: input.userId,
      verb: XAPI_VERBS[input.verb].id,
      timestamp: input.timestamp,
      statement,
    });
    return row;
  }

  async store(em: EntityManager, statements: XapiStatementEntity[]): Promise<void> {
    for (let i = 0; i < statements.length; i += 500) {
      await em.insert(XapiStatementEntity, statements.slice(i, i + 500) as never);
    }
  }
}
