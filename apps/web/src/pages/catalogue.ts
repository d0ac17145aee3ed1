import { css, html, nothing } from 'lit';
import { api } from '../api';
import { register, t } from '../i18n';
import { courseCard } from '../ui/learner/course-card';
import { errorText, isOffline } from '../ui/learner/status';
import type { CourseSummary, Page as ApiPage } from '../ui/learner/types';
import '../offline/progress-queue';
import { Page } from '../ui/page';
import { base } from '../ui/styles';

register(
  {
    'cat.title': 'Khóa học kỹ năng số',
    'cat.intro': 'Học miễn phí, theo nhịp của bạn, cả khi không có mạng.',
    'cat.search': 'Tìm khóa học',
    'cat.searchHint': 'Gõ có dấu hay không dấu đều được, ví dụ “dich vu cong”.',
    'cat.audience': 'Dành cho',
    'cat.level': 'Bậc',
    'cat.competency': 'Lĩnh vực năng lực',
    'cat.all': 'Tất cả',
    'cat.aud.citizen': 'Người dân',
    'cat.aud.official': 'Cán bộ, công chức',
    'cat.aud.worker': 'Người lao động',
    'cat.aud.trainer': 'Giảng viên',
    'cat.aud.student': 'Học sinh, sinh viên',
    'cat.comp.1': 'Khai thác dữ liệu và thông tin',
    'cat.comp.2': 'Giao tiếp và hợp tác trong môi trường số',
    'cat.comp.3': 'Sáng tạo nội dung số',
    'cat.comp.4': 'An toàn',
    'cat.comp.5': 'Giải quyết vấn đề',
    'cat.comp.6': 'Ứng dụng trí tuệ nhân tạo',
    'cat.count': 'Đang hiển thị {n} khóa học',
    'cat.none': 'Không tìm thấy khóa học phù hợp. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.',
    'cat.more': 'Xem thêm',
  },
  {
    'cat.title': 'Digital skills courses',
    'cat.intro': 'Free, at your own pace, even without a connection.',
    'cat.search': 'Search courses',
    'cat.searchHint': 'With or without Vietnamese accents, e.g. “dich vu cong”.',
    'cat.audience': 'For',
    'cat.level': 'Level',
    'cat.competency': 'Competence area',
    'cat.all': 'All',
    'cat.aud.citizen': 'Citizens',
    'cat.aud.official': 'Public officials',
    'cat.aud.worker': 'Workers',
    'cat.aud.trainer': 'Trainers',
    'cat.aud.student': 'Students',
    'cat.comp.1': 'Data and information exploitation',
    'cat.comp.2': 'Communication and collaboration in the digital environment',
    'cat.comp.3': 'Digital content creation',
    'cat.comp.4': 'Safety',
    'cat.comp.5': 'Problem solving',
    'cat.comp.6': 'Applying artificial intelligence',
    'cat.count': 'Showing {n} courses',
    'cat.none': 'No matching course. Try other words or fewer filters.',
    'cat.more': 'Show more',
  },
);

const AUDIENCES = ['citizen', 'official', 'worker', 'trainer', 'student'];
const LEVELS = ['CB1', 'CB2', 'TC1', 'TC2', 'NC1', 'NC2', 'CS1', 'CS2'];
const DOMAINS = ['1', '2', '3', '4', '5', '6'];
type Filters = { q: string; audience: string; level: string; competency: string };

/** The catalogue: search as you type (debounced, kept in ?q=), filters, cards, "show more". */
export class CataloguePage extends Page {
  static override styles = [
    base,
    css`
      .filters {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0 1rem;
      }
      ul.courses {
        list-style: none;
        padding: 0;
        margin: 1rem 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
        gap: 1rem;
      }
      .course h2 {
        font-size: 1.1rem;
        margin: 0 0 0.5rem;
      }
      .course h2 a {
        text-decoration: none;
      }
      .course h2 a:hover {
        text-decoration: underline;
      }
      .summary {
        margin: 0 0 0.5rem;
        display: -webkit-box;
        -webkit-line-clamp: 4;
        -webkit-box-orient: vertical;
        overflow: hidden;
      }
      .meta {
        margin: 0;
        font-size: 0.9rem;
      }
    `,
  ];

  private filters: Filters = { q: '', audience: '', level: '', competency: '' };
  private items: CourseSummary[] = [];
  private next: string | null = null;
  private loading = true;
  private error: unknown = null;
  private timer?: ReturnType<typeof setTimeout>;
  private abort?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    const p = new URLSearchParams(location.search);
    this.filters = {
      q: p.get('q') ?? '',
      audience: p.get('audience') ?? '',
      level: p.get('level') ?? '',
      competency: p.get('competency') ?? '',
    };
    void this.load(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private query(cursor: string | null): string {
    const p = new URLSearchParams();
    const f = this.filters;
    if (f.q.trim()) p.set('q', f.q.trim());
    if (f.audience) p.set('audience', f.audience);
    if (f.level) p.set('level', f.level);
    if (f.competency) p.set('competency', `TT02:${f.competency}`);
    p.set('limit', '12');
    if (cursor) p.set('cursor', cursor);
    return p.toString();
  }

  private syncUrl(push: boolean) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(this.filters)) if (v.trim()) p.set(k, v.trim());
    const url = `/${p.toString() ? `?${p}` : ''}`;
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  private async load(more: boolean) {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = null;
    this.requestUpdate();
    try {
      const page = await api.get<ApiPage<CourseSummary>>(`/v1/courses?${this.query(more ? this.next : null)}`, {
        signal: abort.signal,
      });
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.next = page.nextCursor;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this.error = err;
    }
    this.loading = false;
    this.requestUpdate();
  }

  private onInput(e: Event) {
    this.filters = { ...this.filters, q: (e.target as HTMLInputElement).value };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.syncUrl(false);
      void this.load(false);
    }, 250);
  }

  private onFilter(key: keyof Filters, e: Event) {
    this.filters = { ...this.filters, [key]: (e.target as HTMLSelectElement).value };
    clearTimeout(this.timer);
    this.syncUrl(true);
    void this.load(false);
  }

  private select(key: 'audience' | 'level' | 'competency', values: string[], label: (v: string) => string) {
    return html`<div>
      <label for="f-${key}">${t(`cat.${key}`)}</label>
      <select id="f-${key}" @change=${(e: Event) => this.onFilter(key, e)}>
        <option value="" ?selected=${!this.filters[key]}>${t('cat.all')}</option>
        ${values.map((v) => html`<option value=${v} ?selected=${this.filters[key] === v}>${label(v)}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    this.setTitle(this.filters.q ? `${t('cat.search')}: ${this.filters.q}` : '');
    return html`
      <h1>${t('cat.title')}</h1>
      <p class="muted">${t('cat.intro')}</p>
      <form role="search" @submit=${(e: Event) => e.preventDefault()}>
        <label for="q">${t('cat.search')}</label>
        <input id="q" type="search" .value=${this.filters.q} @input=${this.onInput} aria-describedby="q-hint"
          autocomplete="off" enterkeyhint="search" maxlength="200" />
        <p id="q-hint" class="muted">${t('cat.searchHint')}</p>
        <div class="filters">
          ${this.select('audience', AUDIENCES, (v) => t(`cat.aud.${v}`))}
          ${this.select('level', LEVELS, (v) => t(`learner.level.${v}`))}
          ${this.select('competency', DOMAINS, (v) => t(`cat.comp.${v}`))}
        </div>
      </form>
      <p role="status" aria-live="polite" class="muted">
        ${
          this.loading
            ? t('common.loading')
            : this.error
              ? ''
              : this.items.length
                ? t('cat.count', { n: this.items.length })
                : t('cat.none')
        }
      </p>
      ${
        this.error
          ? html`<div role="alert" class="card">
              <p class="error">${isOffline(this.error) ? t('common.offlineError') : errorText(this.error)}</p>
              <button type="button" @click=${() => this.load(false)}>${t('common.retry')}</button>
            </div>`
          : nothing
      }
      <ul class="courses">${this.items.map(courseCard)}</ul>
      ${
        this.next && !this.loading
          ? html`<button type="button" class="secondary" @click=${() => this.load(true)}>${t('cat.more')}</button>`
          : nothing
      }
    `;
  }
}

customElements.define('hc-catalogue-page', CataloguePage);
