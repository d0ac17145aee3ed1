import { css, html, nothing } from 'lit';
import { api } from '../api';
import { fmtDate, fmtNumber, pick, register, t } from '../i18n';
import '../offline/progress-queue';
import { errorView, loadingView } from '../ui/learner/status';
import type { CourseSummary, Enrollment, Page as ApiPage } from '../ui/learner/types';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'my.title': 'Khóa học của tôi',
    'my.none': 'Bạn chưa đăng ký khóa học nào.',
    'my.browse': 'Xem các khóa học',
    'my.progress': 'Đã học {done}/{total} bài ({pct}%)',
    'my.progressLabel': 'Tiến độ: {title}',
    'my.continue': 'Học tiếp',
    'my.start': 'Bắt đầu học',
    'my.completed': 'Đã hoàn thành ngày {date}',
    'my.review': 'Xem lại khóa học',
    'my.certificates': 'Xem chứng nhận',
    'my.minutes': '{n} phút học',
  },
  {
    'my.title': 'My courses',
    'my.none': 'You have not enrolled in any course yet.',
    'my.browse': 'Browse the courses',
    'my.progress': '{done} of {total} lessons done ({pct}%)',
    'my.progressLabel': 'Progress: {title}',
    'my.continue': 'Continue',
    'my.start': 'Start learning',
    'my.completed': 'Completed on {date}',
    'my.review': 'Review the course',
    'my.certificates': 'See certificates',
    'my.minutes': '{n} minutes of learning',
  },
);

export class MyCoursesPage extends Page {
  static override styles = [
    base,
    css`
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      h2 {
        margin-top: 0;
        font-size: 1.1rem;
      }
      progress {
        width: 100%;
        height: 1rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
    `,
  ];

  private items: Enrollment[] | null = null;
  private titles = new Map<string, CourseSummary>();
  private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    this.items = null;
    this.requestUpdate();
    try {
      const [mine, courses] = await Promise.all([
        api.get<ApiPage<Enrollment>>('/v1/me/enrollments?limit=100'),
        api.get<ApiPage<CourseSummary>>('/v1/courses?limit=100').catch(() => ({ items: [], nextCursor: null })),
      ]);
      this.titles = new Map(courses.items.map((c) => [c.slug, c]));
      this.items = mine.items;
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  private card(e: Enrollment) {
    const course = this.titles.get(e.courseSlug);
    const title = course ? pick(course.title) : e.courseSlug;
    const pct = fmtNumber(e.progressPercent, 0);
    const done = e.status === 'completed';
    const href = e.resumeLessonId ? `/courses/${e.courseSlug}/lessons/${e.resumeLessonId}` : `/courses/${e.courseSlug}`;
    return html`<li class="card">
      <h2><a href="/courses/${e.courseSlug}">${title}</a></h2>
      <progress max="100" value=${e.progressPercent} aria-label=${t('my.progressLabel', { title })}>${pct}%</progress>
      <p>${t('my.progress', { done: e.lessonsCompleted, total: e.lessonsTotal, pct })} · ${t('my.minutes', { n: e.minutes })}</p>
      ${done ? html`<p><strong>${t('my.completed', { date: fmtDate(e.completedAt) })}</strong></p>` : nothing}
      <div class="actions">
        ${
          done
            ? html`<a href="/courses/${e.courseSlug}">${t('my.review')}</a>
                <a href="/me/certificates">${t('my.certificates')}</a>`
            : html`<a class="button" href=${href} aria-label="${e.lessonsCompleted ? t('my.continue') : t('my.start')}: ${title}">
                ${e.lessonsCompleted ? t('my.continue') : t('my.start')}</a>`
        }
      </div>
    </li>`;
  }

  override render() {
    this.setTitle(t('my.title'));
    return html`<h1>${t('my.title')}</h1>
      ${
        this.error
          ? errorView(this.error, () => this.load())
          : !this.items
            ? loadingView()
            : this.items.length
              ? html`<ul>${this.items.map((e) => this.card(e))}</ul>`
              : html`<p>${t('my.none')}</p><a class="button" href="/">${t('my.browse')}</a>`
      }`;
  }
}

customElements.define('hc-my-courses-page', MyCoursesPage);
