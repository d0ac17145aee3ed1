import { css, html, nothing } from 'lit';
import { api, signedIn } from '../api';
import { fmtNumber, pick, register, t } from '../i18n';
import { flush, onPendingChange, pendingCount, record } from '../offline/progress-queue';
import { navigate } from '../router';
import { markdown } from '../ui/learner/markdown';
import '../ui/learner/quiz';
import { enrollmentFor, errorText, isOffline, loadingView } from '../ui/learner/status';
import type { AttemptResult, Block, Enrollment, Lesson } from '../ui/learner/types';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'lesson.module': 'Phần {n}: {title}',
    'lesson.minutes': 'Khoảng {n} phút',
    'lesson.notEnrolled': 'Bạn chưa đăng ký khóa học này nên tiến độ chưa được lưu.',
    'lesson.signIn': 'Đăng nhập để lưu tiến độ',
    'lesson.enroll': 'Đăng ký học',
    'lesson.complete': 'Hoàn thành bài học',
    'lesson.completeNext': 'Hoàn thành và sang bài tiếp',
    'lesson.done': 'Bạn đã hoàn thành bài học này.',
    'lesson.doneOffline': 'Đã lưu trên máy. Tiến độ sẽ được đồng bộ khi có mạng.',
    'lesson.prev': 'Bài trước: {title}',
    'lesson.next': 'Bài tiếp theo: {title}',
    'lesson.backToCourse': 'Về trang khóa học',
    'lesson.nav': 'Chuyển bài',
    'lesson.transcript': 'Lời thoại của video',
    'lesson.videoFallback': 'Trình duyệt không phát được video.',
    'lesson.download': 'Tải về: {title} ({size})',
    'lesson.practice': 'Thực hành',
    'lesson.steps': 'Các bước',
    'lesson.checklist': 'Tự kiểm tra',
    'lesson.offlineMissing': 'Bạn đang ngoại tuyến và bài học này chưa được lưu trên máy. Hãy mở lại khi có mạng.',
    'lesson.courseDone': 'Chúc mừng! Bạn đã hoàn thành khóa học.',
    'lesson.courseDoneText': 'Chứng nhận sẽ được cấp trong ít phút.',
    'lesson.certificates': 'Xem chứng nhận của tôi',
    'lesson.courseProgress':
      'Tiến độ khóa học: {done}/{total} bài ({pct}%). Hãy hoàn thành các bài và bài kiểm tra còn lại.',
    'lesson.checking': 'Đang cập nhật tiến độ…',
  },
  {
    'lesson.module': 'Part {n}: {title}',
    'lesson.minutes': 'About {n} minutes',
    'lesson.notEnrolled': 'You are not enrolled in this course, so your progress is not saved.',
    'lesson.signIn': 'Sign in to save your progress',
    'lesson.enroll': 'Enroll',
    'lesson.complete': 'Complete the lesson',
    'lesson.completeNext': 'Complete and go to the next lesson',
    'lesson.done': 'You have completed this lesson.',
    'lesson.doneOffline': 'Saved on this device. Your progress syncs when you are online.',
    'lesson.prev': 'Previous lesson: {title}',
    'lesson.next': 'Next lesson: {title}',
    'lesson.backToCourse': 'Back to the course',
    'lesson.nav': 'Lesson navigation',
    'lesson.transcript': 'Video transcript',
    'lesson.videoFallback': 'Your browser cannot play this video.',
    'lesson.download': 'Download: {title} ({size})',
    'lesson.practice': 'Practice',
    'lesson.steps': 'Steps',
    'lesson.checklist': 'Check yourself',
    'lesson.offlineMissing':
      'You are offline and this lesson is not saved on this device. Open it again when you are online.',
    'lesson.courseDone': 'Congratulations! You have completed the course.',
    'lesson.courseDoneText': 'Your certificate will be issued in a few minutes.',
    'lesson.certificates': 'See my certificates',
    'lesson.courseProgress':
      'Course progress: {done}/{total} lessons ({pct}%). Finish the remaining lessons and quizzes.',
    'lesson.checking': 'Updating your progress…',
  },
);

const HEARTBEAT_MS = 30_000;

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${fmtNumber(bytes / 1024 / 1024, 1)} MB` : `${fmtNumber(Math.max(1, bytes / 1024), 0)} KB`;

/**
 * The lesson player. Progress (lesson_started, heartbeats of learning time, lesson_completed,
 * practice block_completed) goes through the offline queue, so it works without a connection.
 */
export class LessonPage extends Page {
  static override styles = [
    base,
    css`
      .crumb {
        margin: 0 0 0.25rem;
      }
      article {
        line-height: 1.6;
        overflow-wrap: anywhere;
      }
      article img,
      video {
        max-width: 100%;
        height: auto;
      }
      blockquote {
        margin: 1rem 0;
        padding: 0.5rem 1rem;
        border-left: 4px solid var(--hc-primary);
        background: #f6f8fb;
      }
      pre {
        overflow-x: auto;
        background: #f6f8fb;
        padding: 0.75rem;
      }
      code {
        background: #f1f3f6;
        padding: 0 0.2rem;
        border-radius: 4px;
      }
      .block {
        margin: 1.5rem 0;
      }
      .finish {
        margin: 2rem 0 1rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      nav ul {
        list-style: none;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.75rem;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
      .done {
        border-color: var(--hc-success, #166534);
      }
    `,
  ];

  private lesson: Lesson | null = null;
  private enrollment: Enrollment | null = null;
  /** null: not known (offline) */
  private enrolled: boolean | null = null;
  private error: unknown = null;
  private completed = false;
  private completionNote = '';
  private courseDone = false;
  private lastBeat = Date.now();
  private timer?: ReturnType<typeof setInterval>;
  private practiceTicks = new Map<string, Set<number>>();
  private offPending?: () => void;

  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') this.beat(5);
    else this.lastBeat = Date.now();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.offPending = onPendingChange(() => this.requestUpdate());
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.beat(5);
    clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.offPending?.();
  }

  private get slug() {
    return this.params.slug;
  }

  private tracking(): boolean {
    return signedIn() && this.enrolled !== false && !!this.lesson;
  }

  private async load() {
    this.error = null;
    this.lesson = null;
    this.requestUpdate();
    try {
      this.lesson = await api.get<Lesson>(
        `/v1/courses/${encodeURIComponent(this.slug)}/lessons/${encodeURIComponent(this.params.lessonId)}`,
      );
    } catch (err) {
      this.error = err;
      this.requestUpdate();
      return;
    }
    if (signedIn()) {
      try {
        this.enrollment = await enrollmentFor(this.slug);
        this.enrolled = !!this.enrollment;
      } catch {
        this.enrolled = null;
      }
    } else this.enrolled = false;
    this.requestUpdate();
    if (this.tracking()) this.startTracking();
    // The next lesson, opened once in the background, can then be read offline.
    if (this.lesson.next && navigator.onLine) {
      void api
        .get(`/v1/courses/${encodeURIComponent(this.slug)}/lessons/${this.lesson.next.id}`)
        .catch(() => undefined);
    }
  }

  private startTracking() {
    const lesson = this.lesson as Lesson;
    void record({ type: 'lesson_started', courseSlug: this.slug, lessonId: lesson.id });
    this.lastBeat = Date.now();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.beat(HEARTBEAT_MS / 1000 - 1), HEARTBEAT_MS);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Reports the learning time since the last heartbeat (only while the page is visible). */
  private beat(minSeconds: number) {
    if (!this.tracking() || !this.timer) return;
    const now = Date.now();
    const seconds = Math.min(300, Math.round((now - this.lastBeat) / 1000));
    if (document.visibilityState === 'hidden' && minSeconds > 5) return;
    if (seconds < minSeconds) return;
    this.lastBeat = now;
    void record({ type: 'heartbeat', courseSlug: this.slug, lessonId: (this.lesson as Lesson).id, seconds });
  }

  private async complete() {
    const lesson = this.lesson as Lesson;
    if (!this.tracking()) return;
    this.beat(1);
    await record({ type: 'lesson_completed', courseSlug: this.slug, lessonId: lesson.id });
    this.completed = true;
    if (lesson.next) {
      navigate(`/courses/${this.slug}/lessons/${lesson.next.id}`);
      return;
    }
    // The last lesson: once the queue is through, ask whether the course is complete.
    this.completionNote = t('lesson.checking');
    this.requestUpdate();
    await this.checkCourse();
  }

  private async checkCourse() {
    const synced = await flush();
    if (!synced) {
      this.completionNote = t('lesson.doneOffline');
      this.requestUpdate();
      return;
    }
    try {
      this.enrollment = await enrollmentFor(this.slug);
      this.courseDone = this.enrollment?.status === 'completed';
      const e = this.enrollment;
      this.completionNote =
        this.courseDone || !e
          ? ''
          : t('lesson.courseProgress', {
              done: e.lessonsCompleted,
              total: e.lessonsTotal,
              pct: fmtNumber(e.progressPercent, 0),
            });
    } catch (err) {
      this.completionNote = isOffline(err) ? t('lesson.doneOffline') : errorText(err);
    }
    this.requestUpdate();
    if (this.courseDone) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#course-done')?.focus();
    }
  }

  private onQuizResult(e: CustomEvent<AttemptResult>) {
    if (e.detail.courseCompleted) {
      this.courseDone = true;
      this.requestUpdate();
    }
  }

  private tick(blockId: string, practiceId: string, index: number, total: number, checked: boolean) {
    const set = this.practiceTicks.get(blockId) ?? new Set<number>();
    if (checked) set.add(index);
    else set.delete(index);
    this.practiceTicks.set(blockId, set);
    if (checked && set.size === total && this.tracking()) {
      void record({
        type: 'block_completed',
        courseSlug: this.slug,
        lessonId: (this.lesson as Lesson).id,
        blockId: practiceId,
      });
    }
  }

  private block(b: Block) {
    switch (b.kind) {
      case 'text':
        return html`<div class="block">${markdown(b.markdown)}</div>`;
      case 'quiz':
        return html`<div class="block"><hc-quiz .quiz=${b} .courseSlug=${this.slug}
          @quiz-result=${this.onQuizResult}></hc-quiz></div>`;
      case 'video':
        return html`<figure class="block">
          ${b.title ? html`<figcaption><strong>${b.title}</strong></figcaption>` : nothing}
          <video controls preload="metadata" src=${b.url}>
            ${b.captions.map(
              (c, i) => html`<track kind="captions" src=${c.url} srclang=${c.lang} label=${c.label ?? c.lang}
                ?default=${i === 0} />`,
            )}
            ${t('lesson.videoFallback')}
          </video>
          ${
            b.transcript
              ? html`<details><summary>${t('lesson.transcript')}</summary>${markdown(b.transcript)}</details>`
              : nothing
          }
        </figure>`;
      case 'image':
        return html`<figure class="block">
          <img src=${b.src} alt=${b.alt} loading="lazy" />
          ${b.caption ? html`<figcaption class="muted">${b.caption}</figcaption>` : nothing}
        </figure>`;
      case 'download':
        return html`<p class="block">
          <a href=${b.url} download>${t('lesson.download', { title: b.title, size: size(b.sizeBytes) })}</a>
        </p>`;
      case 'practice':
        return html`<section class="block card" aria-labelledby="p-${b.id}">
          <h2 id="p-${b.id}">${t('lesson.practice')}: ${b.title}</h2>
          ${b.scenario ? markdown(b.scenario) : nothing}
          <h3>${t('lesson.steps')}</h3>
          <ol>${b.steps.map((s) => html`<li>${markdown(s)}</li>`)}</ol>
          <fieldset>
            <legend><strong>${t('lesson.checklist')}</strong></legend>
            ${b.checklist.map(
              (c, i) => html`<div class="check">
                <input type="checkbox" id="c-${b.id}-${i}"
                  @change=${(e: Event) => this.tick(b.id, b.practiceId, i, b.checklist.length, (e.target as HTMLInputElement).checked)} />
                <label for="c-${b.id}-${i}">${c}</label>
              </div>`,
            )}
          </fieldset>
        </section>`;
      default:
        return nothing;
    }
  }

  private enrollPrompt() {
    if (this.enrolled !== false) return nothing;
    const back = encodeURIComponent(location.pathname);
    return html`<div class="card" role="note">
      <p>${t('lesson.notEnrolled')}</p>
      ${
        signedIn()
          ? html`<a class="button" href="/courses/${this.slug}">${t('lesson.enroll')}</a>`
          : html`<a class="button" href="/login?next=${back}">${t('lesson.signIn')}</a>`
      }
    </div>`;
  }

  private finish(l: Lesson) {
    if (!this.tracking()) return nothing;
    return html`<div class="finish">
      ${
        this.completed
          ? html`<p role="status">${t('lesson.done')}</p>`
          : html`<button type="button" @click=${this.complete}>
              ${l.next ? t('lesson.completeNext') : t('lesson.complete')}
            </button>`
      }
      <p role="status" aria-live="polite">${this.completionNote}</p>
      ${this.completed && pendingCount() > 0 && !navigator.onLine ? html`<p class="muted">${t('lesson.doneOffline')}</p>` : nothing}
    </div>
    ${
      this.courseDone
        ? html`<section id="course-done" class="card done" tabindex="-1" aria-labelledby="done-h">
            <h2 id="done-h">${t('lesson.courseDone')}</h2>
            <p>${t('lesson.courseDoneText')}</p>
            <a class="button" href="/me/certificates">${t('lesson.certificates')}</a>
          </section>`
        : nothing
    }`;
  }

  override render() {
    if (this.error) {
      const offline = isOffline(this.error);
      this.setTitle(offline ? t('sync.offline') : t('common.error'));
      return html`<h1>${offline ? t('sync.offline') : t('common.error')}</h1>
        <div role="alert" class="card">
          <p class="error">${offline ? t('lesson.offlineMissing') : errorText(this.error)}</p>
          <button type="button" @click=${() => this.load()}>${t('common.retry')}</button>
        </div>
        <p><a href="/courses/${this.slug}">${t('lesson.backToCourse')}</a></p>`;
    }
    const l = this.lesson;
    if (!l) {
      this.setTitle(t('common.loading'));
      return html`<h1 class="sr-only">${t('common.loading')}</h1>${loadingView()}`;
    }
    this.setTitle(`${pick(l.title)} — ${pick(l.course.title)}`);
    return html`
      <p class="crumb"><a href="/courses/${this.slug}">${pick(l.course.title)}</a></p>
      <p class="muted">${t('lesson.module', { n: l.module.position + 1, title: pick(l.module.title) })} ·
        ${t('lesson.minutes', { n: l.minutes })}</p>
      <h1>${pick(l.title)}</h1>
      ${this.enrollPrompt()}
      <article>${l.blocks.map((b) => this.block(b))}</article>
      ${this.finish(l)}
      <nav aria-label=${t('lesson.nav')}>
        <ul>
          ${l.previous ? html`<li><a href="/courses/${this.slug}/lessons/${l.previous.id}">← ${t('lesson.prev', { title: pick(l.previous.title) })}</a></li>` : nothing}
          ${l.next ? html`<li><a href="/courses/${this.slug}/lessons/${l.next.id}">${t('lesson.next', { title: pick(l.next.title) })} →</a></li>` : nothing}
        </ul>
      </nav>
    `;
  }
}

customElements.define('hc-lesson-page', LessonPage);
