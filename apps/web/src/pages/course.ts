import { css, html, nothing } from 'lit';
import { api, signedIn } from '../api';
import { fmtDate, fmtNumber, pick, register, t } from '../i18n';
import { enrollmentFor, errorText, errorView, isOffline, loadingView } from '../ui/learner/status';
import type { CourseOutline, Enrollment, OutlineLesson } from '../ui/learner/types';
import '../offline/progress-queue';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'course.enroll': 'Đăng ký học',
    'course.enrolling': 'Đang đăng ký…',
    'course.enrolled': 'Bạn đã đăng ký khóa học này.',
    'course.signInToEnroll': 'Đăng nhập để đăng ký học',
    'course.start': 'Bắt đầu học',
    'course.continue': 'Học tiếp: {title}',
    'course.progress': 'Đã học {done}/{total} bài ({pct}%)',
    'course.progressLabel': 'Tiến độ khóa học',
    'course.completed': 'Bạn đã hoàn thành khóa học ngày {date}.',
    'course.seeCertificates': 'Xem chứng nhận của tôi',
    'course.outline': 'Nội dung khóa học',
    'course.module': 'Phần {n}: {title}',
    'course.about': 'Thông tin',
    'course.level': 'Bậc: {level}',
    'course.duration': 'Thời lượng: {n} phút',
    'course.lessonCount': 'Số bài: {n}',
    'course.reviewed': 'Nội dung được kiểm tra ngày {date}',
    'course.licence': 'Giấy phép: {licence}',
    'course.offlineReady': 'Các bài học đã được lưu để học cả khi không có mạng.',
    'course.quiz': 'có bài kiểm tra',
  },
  {
    'course.enroll': 'Enroll',
    'course.enrolling': 'Enrolling…',
    'course.enrolled': 'You are enrolled in this course.',
    'course.signInToEnroll': 'Sign in to enroll',
    'course.start': 'Start learning',
    'course.continue': 'Continue: {title}',
    'course.progress': '{done} of {total} lessons done ({pct}%)',
    'course.progressLabel': 'Course progress',
    'course.completed': 'You completed this course on {date}.',
    'course.seeCertificates': 'See my certificates',
    'course.outline': 'Course outline',
    'course.module': 'Part {n}: {title}',
    'course.about': 'About',
    'course.level': 'Level: {level}',
    'course.duration': 'Duration: {n} minutes',
    'course.lessonCount': 'Lessons: {n}',
    'course.reviewed': 'Facts checked on {date}',
    'course.licence': 'Licence: {licence}',
    'course.offlineReady': 'The lessons are saved so you can learn without a connection.',
    'course.quiz': 'with a quiz',
  },
);

/** Course page: outline, enroll, "continue where you left off". */
export class CoursePage extends Page {
  static override styles = [
    base,
    css`
      .cta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        margin: 1rem 0;
      }
      progress {
        width: 100%;
        max-width: 24rem;
        height: 1rem;
      }
      ol.lessons {
        padding-left: 1.5rem;
      }
      ol.lessons li {
        padding: 0.4rem 0;
      }
      ol.lessons a {
        display: inline-block;
        min-height: 24px;
      }
      h3 {
        font-size: 1.05rem;
        margin: 1rem 0 0.25rem;
      }
      .meta {
        list-style: none;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
      }
    `,
  ];

  private outline: CourseOutline | null = null;
  private enrollment: Enrollment | null = null;
  private error: unknown = null;
  private enrollError = '';
  private enrolling = false;
  private offlineReady = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get slug() {
    return this.params.slug;
  }

  private async load() {
    this.error = null;
    this.outline = null;
    this.requestUpdate();
    try {
      this.outline = await api.get<CourseOutline>(`/v1/courses/${encodeURIComponent(this.slug)}`);
      if (signedIn()) {
        this.enrollment = await enrollmentFor(this.slug).catch(() => null);
        if (this.enrollment) void this.saveForOffline();
      }
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  private lessons(): OutlineLesson[] {
    return this.outline?.modules.flatMap((m) => m.lessons) ?? [];
  }

  /** Opens every lesson once in the background: the service worker keeps them for offline use. */
  private async saveForOffline() {
    try {
      for (const l of this.lessons()) {
        await api.get(`/v1/courses/${encodeURIComponent(this.slug)}/lessons/${l.id}`);
      }
      this.offlineReady = true;
      this.requestUpdate();
    } catch {
      // offline or failed: the lessons opened so far are kept
    }
  }

  private async enroll() {
    this.enrolling = true;
    this.enrollError = '';
    this.requestUpdate();
    try {
      this.enrollment = await api.post<Enrollment>('/v1/enrollments', { courseSlug: this.slug });
      void this.saveForOffline();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#start')?.focus();
    } catch (err) {
      this.enrollError = isOffline(err) ? t('common.offlineError') : errorText(err);
    }
    this.enrolling = false;
    this.requestUpdate();
  }

  private lessonHref(id: string) {
    return `/courses/${this.slug}/lessons/${id}`;
  }

  private cta() {
    const e = this.enrollment;
    const lessons = this.lessons();
    if (!signedIn()) {
      const next = encodeURIComponent(location.pathname);
      return html`<a class="button" href="/login?next=${next}">${t('course.signInToEnroll')}</a>`;
    }
    if (!e) {
      return html`<button type="button" @click=${this.enroll} ?disabled=${this.enrolling}>
          ${this.enrolling ? t('course.enrolling') : t('course.enroll')}
        </button>
        <div role="alert">${this.enrollError ? html`<p class="error">${this.enrollError}</p>` : nothing}</div>`;
    }
    const resume = lessons.find((l) => l.id === e.resumeLessonId);
    const pct = fmtNumber(e.progressPercent, 0);
    return html`<div>
      <p role="status">${e.status === 'completed' ? t('course.completed', { date: fmtDate(e.completedAt) }) : t('course.enrolled')}</p>
      <label for="progress">${t('course.progressLabel')}</label>
      <progress id="progress" max="100" value=${e.progressPercent}>${pct}%</progress>
      <p>${t('course.progress', { done: e.lessonsCompleted, total: e.lessonsTotal, pct })}</p>
      <div class="cta">
        ${
          resume && e.lessonsCompleted > 0
            ? html`<a id="start" class="button" href=${this.lessonHref(resume.id)}>
                ${t('course.continue', { title: pick(resume.title) })}</a>`
            : lessons[0]
              ? html`<a id="start" class="button" href=${this.lessonHref((resume ?? lessons[0]).id)}>${t('course.start')}</a>`
              : nothing
        }
        ${e.status === 'completed' ? html`<a href="/me/certificates">${t('course.seeCertificates')}</a>` : nothing}
      </div>
      ${this.offlineReady ? html`<p class="muted">${t('course.offlineReady')}</p>` : nothing}
    </div>`;
  }

  override render() {
    if (this.error) {
      this.setTitle(t('common.error'));
      return html`<h1>${t('common.error')}</h1>${errorView(this.error, () => this.load())}`;
    }
    const o = this.outline;
    if (!o) {
      this.setTitle(t('common.loading'));
      return html`<h1 class="sr-only">${t('common.loading')}</h1>${loadingView()}`;
    }
    this.setTitle(pick(o.title));
    return html`
      <h1>${pick(o.title)}</h1>
      <p>${pick(o.summary)}</p>
      <ul class="meta muted" aria-label=${t('course.about')}>
        <li>${t('course.level', { level: t(`learner.level.${o.level}`) })}</li>
        <li>${t('course.duration', { n: o.estimatedMinutes })}</li>
        <li>${t('course.lessonCount', { n: o.lessonCount })}</li>
        <li>${t('course.reviewed', { date: fmtDate(o.lastReviewed) })}</li>
      </ul>
      <div class="cta">${this.cta()}</div>
      <h2>${t('course.outline')}</h2>
      ${o.modules.map(
        (m) => html`<h3>${t('course.module', { n: m.position + 1, title: pick(m.title) })}</h3>
          <ol class="lessons">
            ${m.lessons.map(
              (l) => html`<li>
                <a href=${this.lessonHref(l.id)}>${pick(l.title)}</a>
                <span class="muted">— ${t('learner.minutes', { n: l.minutes })}${
                  l.blockKinds.includes('quiz') ? `, ${t('course.quiz')}` : ''
                }</span>
              </li>`,
            )}
          </ol>`,
      )}
      <p class="muted">${t('course.licence', { licence: o.licence })}</p>
    `;
  }
}

customElements.define('hc-course-page', CoursePage);
