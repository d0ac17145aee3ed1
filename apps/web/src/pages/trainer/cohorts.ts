import { css, html } from 'lit';
import { api } from '../../api';
import { fmtDate, fmtDateTime, fmtNumber, pick, register, t } from '../../i18n';
import { startAttendanceSync } from '../../offline/attendance-queue';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import { type CohortDetail, type CohortSummary, errorBlock, errorText } from './common';

register(
  {
    'trc.title': 'Lớp học của tôi',
    'trc.intro': 'Các lớp bạn phụ trách (giảng viên chính, đồng giảng viên, trợ giảng).',
    'trc.empty': 'Bạn chưa phụ trách lớp học nào.',
    'trc.courses': 'Khóa học',
    'trc.dates': 'Thời gian',
    'trc.status': 'Trạng thái',
    'trc.members': 'Học viên',
    'trc.membersValue': '{active}/{capacity} đang học, {waitlisted} chờ',
    'trc.more': 'Xem thêm lớp',
    'trc.upcoming': 'Buổi học sắp tới (14 ngày)',
    'trc.noUpcoming': 'Không có buổi học nào trong 14 ngày tới.',
    'trc.takeAttendance': 'Điểm danh',
    'trc.location': 'Địa điểm',
  },
  {
    'trc.title': 'My cohorts',
    'trc.intro': 'The cohorts you run (lead trainer, co-trainer, assistant).',
    'trc.empty': 'You do not run any cohort yet.',
    'trc.courses': 'Courses',
    'trc.dates': 'Dates',
    'trc.status': 'Status',
    'trc.members': 'Members',
    'trc.membersValue': '{active}/{capacity} active, {waitlisted} waitlisted',
    'trc.more': 'Show more cohorts',
    'trc.upcoming': 'Upcoming sessions (14 days)',
    'trc.noUpcoming': 'No session in the next 14 days.',
    'trc.takeAttendance': 'Take attendance',
    'trc.location': 'Location',
  },
);

interface Upcoming {
  id: string;
  cohortId: string;
  startsAt: string | null;
  durationMinutes: number;
  location: string | null;
}

/** /trainer — the cohorts the signed-in trainer runs, each with courses, dates, status and size. */
export class TrainerCohortsPage extends Page {
  static override styles = [
    base,
    css`
      ul.cohorts {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.75rem;
      }
      h2.cohort {
        margin: 0 0 0.5rem;
        font-size: 1.1rem;
      }
      h2.cohort a {
        display: inline-block;
        min-height: 44px;
        line-height: 1.4;
      }
      dl {
        display: grid;
        grid-template-columns: minmax(6rem, auto) 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      .upcoming li {
        margin: 0.25rem 0;
      }
      .upcoming a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
    `,
  ];

  private state: 'loading' | 'ready' | 'error' = 'loading';
  private error: unknown = null;
  private items: Array<CohortSummary & { detail?: CohortDetail }> = [];
  private cursor: string | null = null;
  private loadingMore = false;
  private upcoming: Upcoming[] = [];
  private titles = new Map<string, string>();

  override connectedCallback(): void {
    super.connectedCallback();
    startAttendanceSync();
    void this.load();
  }

  private async load(more = false): Promise<void> {
    if (more) this.loadingMore = true;
    else {
      this.state = 'loading';
      this.items = [];
      this.cursor = null;
    }
    this.requestUpdate();
    try {
      const q = new URLSearchParams({ limit: '20' });
      if (more && this.cursor) q.set('cursor', this.cursor);
      const [page, dashboard] = await Promise.all([
        api.get<{ items: CohortSummary[]; nextCursor: string | null }>(`/v1/cohorts?${q}`),
        more
          ? Promise.resolve(null)
          : api
              .get<{ upcomingSessions: Upcoming[] }>('/v1/trainers/me/dashboard')
              .catch(() => ({ upcomingSessions: [] as Upcoming[] })),
      ]);
      const details = await Promise.all(
        page.items.map((c) => api.get<CohortDetail>(`/v1/cohorts/${c.id}`).catch(() => undefined)),
      );
      const added = page.items.map((c, i) => ({ ...c, detail: details[i] }));
      this.items = [...this.items, ...added];
      for (const c of this.items) this.titles.set(c.id, c.title);
      this.cursor = page.nextCursor;
      if (dashboard) this.upcoming = dashboard.upcomingSessions;
      this.state = 'ready';
    } catch (err) {
      this.error = err;
      if (!more) this.state = 'error';
    } finally {
      this.loadingMore = false;
      this.requestUpdate();
    }
  }

  override render() {
    this.setTitle(t('trc.title'));
    return html`
      <h1>${t('trc.title')}</h1>
      <p class="muted">${t('trc.intro')}</p>
      ${this.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : ''}
      ${this.state === 'error' ? errorBlock(this.error, () => void this.load()) : ''}
      ${this.state === 'ready' ? this.renderReady() : ''}
    `;
  }

  private renderReady() {
    return html`
      ${this.upcoming.length ? this.renderUpcoming() : ''}
      ${this.items.length === 0 ? html`<p>${t('trc.empty')}</p>` : ''}
      <ul class="cohorts">
        ${this.items.map((c) => this.renderCohort(c))}
      </ul>
      ${
        this.cursor
          ? html`<p>
            <button type="button" class="secondary" ?disabled=${this.loadingMore} @click=${() => void this.load(true)}>
              ${this.loadingMore ? t('common.loading') : t('trc.more')}
            </button>
          </p>`
          : ''
      }
      ${this.loadingMore || !this.error || this.state !== 'ready' ? '' : html`<p class="error" role="alert">${errorText(this.error)}</p>`}
    `;
  }

  private renderUpcoming() {
    return html`<section class="card upcoming" aria-labelledby="upcoming-h">
      <h2 id="upcoming-h">${t('trc.upcoming')}</h2>
      <ul>
        ${this.upcoming.map(
          (s) => html`<li>
            <a href="/trainer/cohorts/${s.cohortId}/sessions/${s.id}">
              ${fmtDateTime(s.startsAt)} — ${this.titles.get(s.cohortId) ?? ''}: ${t('trc.takeAttendance')}
            </a>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderCohort(c: CohortSummary & { detail?: CohortDetail }) {
    const d = c.detail;
    return html`<li class="card">
      <h2 class="cohort"><a href="/trainer/cohorts/${c.id}">${c.title}</a></h2>
      <dl>
        ${d?.courses.length ? html`<dt>${t('trc.courses')}</dt><dd>${d.courses.map((x) => pick(x.title)).join('; ')}</dd>` : ''}
        <dt>${t('trc.dates')}</dt>
        <dd>${t('tr.dates', { from: fmtDate(c.startsOn), to: fmtDate(c.endsOn) })}</dd>
        <dt>${t('trc.status')}</dt>
        <dd>${t(`tr.status.${c.status}`)}</dd>
        ${
          d
            ? html`<dt>${t('trc.members')}</dt>
              <dd>
                ${t('trc.membersValue', {
                  active: fmtNumber(d.members.active, 0),
                  capacity: fmtNumber(c.capacity, 0),
                  waitlisted: fmtNumber(d.members.waitlisted, 0),
                })}
              </dd>`
            : ''
        }
        ${c.location ? html`<dt>${t('trc.location')}</dt><dd>${c.location}</dd>` : ''}
      </dl>
    </li>`;
  }
}

customElements.define('hc-trainer-cohorts-page', TrainerCohortsPage);
