import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { LearningEventEntity, LearningEventType } from '../entities/learning-event.entity';

export interface CourseCompletedEvent {
  enrollmentId: string;
  userId: string;
  courseId: string;
  courseSlug: string;
  versionId: string;
  completedAt: string;
}

/** Written by the cohorts library when a ToT graduate earns a trainer qualification. */
export interface TrainerQualifiedEvent {
  qualificationId: string;
  userId: string;
  level: 'core' | 'community';
  cohortId: string;
  /** the master (or core) trainer who led the ToT cohort */
  qualifiedBy: string;
  grantedOn: string;
  expiresOn: string | null;
}

/** Written by the cohorts library when a province admin revokes a qualification. */
export interface TrainerQualificationRevokedEvent {
  qualificationId: string;
  userId: string;
  reason: string;
  revokedAt: string;
}

type Handler = (event: LearningEventEntity) => Promise<void>;

/**
 * Delivers learning's domain events (CourseCompleted …) from the outbox to subscribers in other
 * libraries (certification, cohorts, workforce, reporting). At-least-once: a handler must be
 * idempotent (key by the event's `key`). Pending events are delivered right after the commit that
 * wrote them and again by the worker's maintenance job until every handler succeeded.
 */
@Injectable()
export class LearningEventBus {
  private readonly logger = new Logger('LearningEvents');
  private readonly handlers = new Map<LearningEventType, Array<{ name: string; handle: Handler }>>();

  constructor(@InjectRepository(LearningEventEntity) private readonly events: Repository<LearningEventEntity>) {}

  subscribe(
    type: LearningEventType.CourseCompleted,
    name: string,
    handle: (e: CourseCompletedEvent) => Promise<void>,
  ): void;
  subscribe(
    type: LearningEventType.TrainerQualified,
    name: string,
    handle: (e: TrainerQualifiedEvent) => Promise<void>,
  ): void;
  subscribe(
    type: LearningEventType.TrainerQualificationRevoked,
    name: string,
    handle: (e: TrainerQualificationRevokedEvent) => Promise<void>,
  ): void;
  subscribe(type: LearningEventType, name: string, handle: (payload: never) => Promise<void>): void {
    const list = this.handlers.get(type) ?? [];
    list.push({ name, handle: (e) => handle(e.payload as never) });
    this.handlers.set(type, list);
  }

  /** Delivers every unpublished event (oldest first); returns how many were delivered. */
  async deliverPending(limit = 500): Promise<number> {
    const pending = await this.events.find({
      where: { publishedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    let delivered = 0;
    for (const event of pending) {
      try {
        for (const h of this.handlers.get(event.type) ?? []) await h.handle(event);
        await this.events.update({ id: event.id, publishedAt: IsNull() }, { publishedAt: new Date() });
        delivered++;
      } catch (err) {
        this.logger.warn(`delivery of ${event.type} ${event.key} failed, will retry: ${(err as Error).message}`);
      }
    }
    return delivered;
  }

  /** Fire-and-forget delivery after a commit; failures stay pending for the next sweep. */
  deliverSoon(): void {
    void this.deliverPending().catch((err) => this.logger.warn(`delivery sweep failed: ${(err as Error).message}`));
  }
}
