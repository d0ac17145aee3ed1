import { type Api, ApiError, NetworkError, SignedOutError } from './api';
import { readJson, removeItem, setItem } from './storage';

/**
 * Progress events for `POST /v1/progress-events`, queued in `sessionStorage['hocso.progress-queue']`
 * until the server has answered for them (weak connections: a failed send keeps them; they go again
 * on `online`, on the next heartbeat, on the next page of the frame). The server deduplicates by
 * eventId, so sending twice is harmless. The queue is only ever changed in synchronous
 * read-modify-write steps (never across an await), so two Hocso frames of one tab cannot lose each
 * other's events. Signing out drops the queue: those events belong to the previous learner.
 */
export type ProgressType = 'lesson_started' | 'heartbeat' | 'lesson_completed';

export interface ProgressEvent {
  eventId: string;
  type: ProgressType;
  courseSlug: string;
  lessonId: string;
  occurredAt: string;
  seconds?: number;
}

interface Outcome {
  eventId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
}

const QUEUE_KEY = 'hocso.progress-queue';
const MAX_BATCH = 500;
const MAX_QUEUE = 5000;
const HEARTBEAT_MS = 30_000;

function readQueue(): ProgressEvent[] {
  const q = readJson<ProgressEvent[]>(QUEUE_KEY);
  return Array.isArray(q) ? q : [];
}

function writeQueue(events: ProgressEvent[]): void {
  if (events.length) setItem(QUEUE_KEY, JSON.stringify(events.slice(-MAX_QUEUE)));
  else removeItem(QUEUE_KEY);
}

export function dropQueue(): void {
  removeItem(QUEUE_KEY);
}

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-http pilots still get a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface ProgressHandlers {
  /** the server has the lesson_completed event of this page (accepted or already stored) */
  onCompleted(): void;
  /** a lesson_completed of this page was refused (e.g. not enrolled) */
  onCompleteRejected(): void;
  /** no usable session any more */
  onSignedOut(): void;
}

export class Progress {
  private flushing?: Promise<void>;
  private retryTimer?: number;
  private retryDelay = 5_000;
  private beatTimer?: number;
  private lastBeat = 0;
  private enrolled = new Map<string, Promise<void>>();
  private tracking = false;

  constructor(
    private readonly api: Api,
    private readonly courseSlug: string,
    private readonly lessonId: string,
    private readonly handlers: ProgressHandlers,
  ) {
    window.addEventListener('online', () => void this.flush());
    document.addEventListener('visibilitychange', () => this.onVisibility());
    window.addEventListener('pagehide', () => this.stopBeats(true));
  }

  /** `POST /v1/enrollments {courseSlug}` once per course and page (201 new, 200 already enrolled). */
  ensureEnrolled(courseSlug = this.courseSlug): Promise<void> {
    let p = this.enrolled.get(courseSlug);
    if (!p) {
      p = this.api.call('POST', '/v1/enrollments', { courseSlug }).then(() => undefined);
      this.enrolled.set(courseSlug, p);
      p.catch(() => this.enrolled.delete(courseSlug));
    }
    return p;
  }

  /**
   * Signed in on a lesson page: enrol, then lesson_started, then heartbeats while visible. Events
   * are only made after the enrollment exists (the server refuses events from before it).
   */
  async start(): Promise<void> {
    if (this.tracking) return;
    this.tracking = true;
    try {
      await this.ensureEnrolled();
    } catch (err) {
      this.tracking = false;
      if (err instanceof SignedOutError) this.handlers.onSignedOut();
      else if (err instanceof NetworkError || (err instanceof ApiError && err.status >= 500)) {
        // try again when the connection comes back
        window.addEventListener('online', () => void this.start(), { once: true });
      }
      return;
    }
    this.record('lesson_started');
    if (document.visibilityState === 'visible') this.startBeats();
  }

  stop(): void {
    this.tracking = false;
    this.stopBeats(false);
    window.clearTimeout(this.retryTimer);
    this.enrolled.clear();
  }

  complete(): void {
    this.record('lesson_completed');
  }

  private record(type: ProgressType, seconds?: number): void {
    const event: ProgressEvent = {
      eventId: uuid(),
      type,
      courseSlug: this.courseSlug,
      lessonId: this.lessonId,
      occurredAt: new Date().toISOString(),
    };
    if (seconds !== undefined) event.seconds = seconds;
    writeQueue([...readQueue(), event]);
    void this.flush();
  }

  private onVisibility(): void {
    if (!this.tracking) return;
    if (document.visibilityState === 'visible') this.startBeats();
    else this.stopBeats(true);
  }

  private startBeats(): void {
    window.clearInterval(this.beatTimer);
    this.lastBeat = Date.now();
    this.beatTimer = window.setInterval(() => this.beat(), HEARTBEAT_MS);
  }

  /** Hidden or leaving: the visible time since the last heartbeat is reported too (≥ 5 s). */
  private stopBeats(reportPartial: boolean): void {
    if (this.beatTimer === undefined) return;
    window.clearInterval(this.beatTimer);
    this.beatTimer = undefined;
    if (reportPartial && this.tracking && Date.now() - this.lastBeat >= 5_000) this.beat(true);
  }

  /** Every 30 s while visible: `seconds: 30`; when hidden or leaving: the visible seconds since the last one. */
  private beat(leaving = false): void {
    const now = Date.now();
    const seconds = leaving ? Math.min(HEARTBEAT_MS / 1000, Math.max(1, Math.round((now - this.lastBeat) / 1000))) : 30;
    this.lastBeat = now;
    if (!leaving && document.visibilityState !== 'visible') return;
    const event: ProgressEvent = {
      eventId: uuid(),
      type: 'heartbeat',
      courseSlug: this.courseSlug,
      lessonId: this.lessonId,
      occurredAt: new Date(now).toISOString(),
      seconds,
    };
    writeQueue([...readQueue(), event]);
    void this.flush(leaving);
  }

  /** Sends the queue, oldest first, in batches of ≤ 500 (single-flight within the page). */
  flush(keepalive = false): Promise<void> {
    this.flushing ??= this.drain(keepalive).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(keepalive: boolean): Promise<void> {
    for (;;) {
      const batch = readQueue().slice(0, MAX_BATCH);
      if (!batch.length) return;
      let outcomes: Outcome[];
      try {
        for (const slug of new Set(batch.map((e) => e.courseSlug))) await this.ensureEnrolled(slug);
        const res = await this.api.call<{ results: Outcome[] }>(
          'POST',
          '/v1/progress-events',
          { events: batch },
          { keepalive: keepalive && JSON.stringify(batch).length < 60_000 },
        );
        outcomes = Array.isArray(res?.results) ? res.results : [];
      } catch (err) {
        if (err instanceof SignedOutError) {
          this.handlers.onSignedOut();
          return;
        }
        if (
          err instanceof ApiError &&
          err.status >= 400 &&
          err.status < 500 &&
          err.status !== 408 &&
          err.status !== 429
        ) {
          // The server will never take this batch as it is (not the connection's fault): drop it
          // rather than retry it forever, and tell the page if it held this lesson's completion.
          this.settle(
            batch.map((e) => ({ eventId: e.eventId, status: 'rejected' as const })),
            batch,
          );
          continue;
        }
        this.scheduleRetry();
        return;
      }
      this.retryDelay = 5_000;
      if (!outcomes.some((o) => batch.some((e) => e.eventId === o.eventId))) {
        this.scheduleRetry();
        return;
      }
      this.settle(outcomes, batch);
    }
  }

  private settle(outcomes: Outcome[], batch: ProgressEvent[]): void {
    const done = new Map(outcomes.map((o) => [o.eventId, o]));
    // Events the server did not mention stay queued (they go again; duplicates are harmless).
    writeQueue(readQueue().filter((e) => !done.has(e.eventId)));
    for (const e of batch) {
      const outcome = done.get(e.eventId);
      if (!outcome || e.type !== 'lesson_completed' || e.lessonId !== this.lessonId) continue;
      if (outcome.status === 'rejected') this.handlers.onCompleteRejected();
      else this.handlers.onCompleted();
    }
  }

  private scheduleRetry(): void {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.flush(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 120_000);
  }

  /** Is a lesson_completed of this page still waiting to be sent? */
  completionPending(): boolean {
    return readQueue().some((e) => e.type === 'lesson_completed' && e.lessonId === this.lessonId);
  }
}
