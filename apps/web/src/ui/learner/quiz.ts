import { css, html, LitElement, nothing } from 'lit';
import { api } from '../../api';
import { fmtNumber, onLangChange, register, t } from '../../i18n';
import { base } from '../styles';
import { errorText, isOffline } from './status';
import type { AttemptResult, QuizBlock, QuizQuestion } from './types';

register(
  {
    'quiz.title': 'Bài kiểm tra',
    'quiz.intro': '{n} câu hỏi · cần đạt {pass}% để qua',
    'quiz.true': 'Đúng',
    'quiz.false': 'Sai',
    'quiz.multipleHint': 'Chọn tất cả đáp án đúng.',
    'quiz.orderHint': 'Sắp xếp theo đúng thứ tự bằng các nút Lên / Xuống.',
    'quiz.up': 'Lên',
    'quiz.down': 'Xuống',
    'quiz.upLabel': 'Chuyển lên: {text}',
    'quiz.downLabel': 'Chuyển xuống: {text}',
    'quiz.moved': 'Đã chuyển “{text}” đến vị trí {n}',
    'quiz.submit': 'Nộp bài',
    'quiz.submitting': 'Đang chấm…',
    'quiz.unanswered': 'Còn {n} câu chưa trả lời.',
    'quiz.correct': 'Đúng',
    'quiz.incorrect': 'Chưa đúng',
    'quiz.score': 'Điểm của bạn: {score}% (cần {pass}%).',
    'quiz.passed': 'Bạn đã đạt bài kiểm tra.',
    'quiz.failed': 'Bạn chưa đạt. Hãy xem lại giải thích và làm lại.',
    'quiz.retry': 'Làm lại',
    'quiz.offline':
      'Cần có mạng để nộp bài kiểm tra. Câu trả lời của bạn vẫn được giữ trên màn hình — hãy nộp lại khi có mạng.',
  },
  {
    'quiz.title': 'Quiz',
    'quiz.intro': '{n} questions · {pass}% needed to pass',
    'quiz.true': 'True',
    'quiz.false': 'False',
    'quiz.multipleHint': 'Choose every correct answer.',
    'quiz.orderHint': 'Put the items in the right order with the Up / Down buttons.',
    'quiz.up': 'Up',
    'quiz.down': 'Down',
    'quiz.upLabel': 'Move up: {text}',
    'quiz.downLabel': 'Move down: {text}',
    'quiz.moved': 'Moved “{text}” to position {n}',
    'quiz.submit': 'Submit answers',
    'quiz.submitting': 'Grading…',
    'quiz.unanswered': '{n} questions are not answered yet.',
    'quiz.correct': 'Correct',
    'quiz.incorrect': 'Not correct',
    'quiz.score': 'Your score: {score}% ({pass}% needed).',
    'quiz.passed': 'You passed the quiz.',
    'quiz.failed': 'Not passed yet. Read the explanations and try again.',
    'quiz.retry': 'Try again',
    'quiz.offline':
      'Submitting a quiz needs a connection. Your answers stay on the screen — submit again when you are online.',
  },
);

/**
 * A quiz graded by the server (answer keys never reach the browser): answers are kept on screen
 * whatever happens; the result shows the score, pass/fail and per-question feedback. Fires
 * `quiz-result` (detail: AttemptResult) after each graded attempt.
 */
export class HcQuiz extends LitElement {
  static override properties = {
    quiz: { attribute: false },
    courseSlug: { attribute: false },
  };
  static override styles = [
    base,
    css`
      fieldset {
        border: 1px solid var(--hc-border);
        border-radius: 8px;
        margin: 0 0 1rem;
        padding: 0.75rem;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .choice {
        display: flex;
        gap: 0.5rem;
        align-items: flex-start;
        min-height: 44px;
      }
      .choice input {
        width: 1.4rem;
        min-height: 1.4rem;
        margin: 0.7rem 0 0;
        flex: none;
      }
      .choice label {
        font-weight: 400;
        margin: 0;
        padding: 0.55rem 0;
        flex: 1;
      }
      ol.order {
        padding-left: 1.5rem;
      }
      ol.order li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.25rem 0;
        border-bottom: 1px solid var(--hc-border);
      }
      ol.order li span {
        flex: 1 1 12rem;
      }
      .ok {
        color: var(--hc-success, #166534);
        font-weight: 600;
      }
      .ko {
        color: var(--hc-error);
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
    `,
  ];

  quiz!: QuizBlock;
  courseSlug = '';
  private answers = new Map<string, string[]>();
  private result: AttemptResult | null = null;
  private submitting = false;
  private message = '';
  private announce = '';
  private offLang?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.offLang = onLangChange(() => this.requestUpdate());
    for (const q of this.quiz.questions) {
      if (q.type === 'ordering')
        this.answers.set(
          q.id,
          (q.items ?? []).map((i) => i.id),
        );
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLang?.();
  }

  private choose(q: QuizQuestion, id: string, checked: boolean) {
    if (q.type === 'multiple') {
      const set = new Set(this.answers.get(q.id) ?? []);
      if (checked) set.add(id);
      else set.delete(id);
      this.answers.set(q.id, [...set]);
    } else this.answers.set(q.id, [id]);
    this.requestUpdate();
  }

  private move(q: QuizQuestion, index: number, delta: number) {
    const order = [...(this.answers.get(q.id) ?? [])];
    const to = index + delta;
    if (to < 0 || to >= order.length) return;
    [order[index], order[to]] = [order[to], order[index]];
    this.answers.set(q.id, order);
    const text = q.items?.find((i) => i.id === order[to])?.text ?? '';
    this.announce = t('quiz.moved', { text, n: to + 1 });
    this.requestUpdate();
    void this.updateComplete.then(() => {
      const sel = `[data-move="${q.id}-${to}-${delta < 0 ? 'up' : 'down'}"]`;
      const btn =
        this.renderRoot.querySelector<HTMLButtonElement>(`${sel}:not([disabled])`) ??
        this.renderRoot.querySelector<HTMLButtonElement>(`[data-move^="${q.id}-${to}-"]:not([disabled])`);
      btn?.focus();
    });
  }

  private async submit(e: Event) {
    e.preventDefault();
    const missing = this.quiz.questions.filter((q) => !(this.answers.get(q.id)?.length ?? 0));
    if (missing.length) {
      this.message = t('quiz.unanswered', { n: missing.length });
      this.requestUpdate();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`[name="${missing[0].id}"]`)?.focus();
      return;
    }
    if (!navigator.onLine) {
      this.message = t('quiz.offline');
      this.requestUpdate();
      return;
    }
    this.submitting = true;
    this.message = '';
    this.requestUpdate();
    try {
      this.result = await api.post<AttemptResult>(
        `/v1/courses/${encodeURIComponent(this.courseSlug)}/quizzes/${encodeURIComponent(this.quiz.quizId)}/attempts`,
        {
          answers: this.quiz.questions.map((q) => ({ questionId: q.id, optionIds: this.answers.get(q.id) ?? [] })),
        },
      );
      this.dispatchEvent(new CustomEvent('quiz-result', { detail: this.result, bubbles: true, composed: true }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.result')?.focus();
    } catch (err) {
      this.message = isOffline(err) ? t('quiz.offline') : errorText(err);
    } finally {
      this.submitting = false;
      this.requestUpdate();
    }
  }

  private retry() {
    this.result = null;
    this.message = '';
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>('input, ol.order button')?.focus(),
    );
  }

  private feedback(q: QuizQuestion) {
    const r = this.result?.questions.find((x) => x.questionId === q.id);
    if (!r) return nothing;
    return html`<p id="fb-${q.id}">
      <span class=${r.correct ? 'ok' : 'ko'}>${r.correct ? `✓ ${t('quiz.correct')}` : `✗ ${t('quiz.incorrect')}`}</span>
      ${r.explanation ? html` — ${r.explanation}` : nothing}
    </p>`;
  }

  private question(q: QuizQuestion, n: number) {
    const chosen = this.answers.get(q.id) ?? [];
    const locked = !!this.result;
    const label = (o: { id: string; text: string }) =>
      q.type === 'truefalse' ? t(o.id === 'true' ? 'quiz.true' : 'quiz.false') : o.text;
    if (q.type === 'ordering') {
      const items = chosen.map((id) => q.items?.find((i) => i.id === id)).filter((i) => !!i);
      return html`<fieldset aria-describedby="hint-${q.id}">
        <legend>${n}. ${q.prompt}</legend>
        <p class="muted" id="hint-${q.id}">${t('quiz.orderHint')}</p>
        <ol class="order">
          ${items.map(
            (item, i) => html`<li>
              <span>${item.text}</span>
              <span class="actions">
                <button type="button" class="secondary" data-move="${q.id}-${i}-up" name=${i === 0 ? q.id : nothing}
                  aria-label=${t('quiz.upLabel', { text: item.text })} ?disabled=${locked || i === 0}
                  @click=${() => this.move(q, i, -1)}>↑ ${t('quiz.up')}</button>
                <button type="button" class="secondary" data-move="${q.id}-${i}-down"
                  aria-label=${t('quiz.downLabel', { text: item.text })} ?disabled=${locked || i === items.length - 1}
                  @click=${() => this.move(q, i, 1)}>↓ ${t('quiz.down')}</button>
              </span>
            </li>`,
          )}
        </ol>
        ${this.feedback(q)}
      </fieldset>`;
    }
    const type = q.type === 'multiple' ? 'checkbox' : 'radio';
    return html`<fieldset>
      <legend>${n}. ${q.prompt}</legend>
      ${q.type === 'multiple' ? html`<p class="muted">${t('quiz.multipleHint')}</p>` : nothing}
      ${(q.options ?? []).map((o) => {
        const id = `${this.quiz.quizId}-${q.id}-${o.id}`;
        return html`<div class="choice">
          <input type=${type} id=${id} name=${q.id} value=${o.id} .checked=${chosen.includes(o.id)} ?disabled=${locked}
            @change=${(e: Event) => this.choose(q, o.id, (e.target as HTMLInputElement).checked)} />
          <label for=${id}>${label(o)}</label>
        </div>`;
      })}
      ${this.feedback(q)}
    </fieldset>`;
  }

  override render() {
    const q = this.quiz;
    const r = this.result;
    const pass = fmtNumber(q.passMark * 100, 0);
    return html`<section aria-labelledby="qt-${q.quizId}">
      <h2 id="qt-${q.quizId}">${q.title || t('quiz.title')}</h2>
      <p class="muted">${t('quiz.intro', { n: q.questionCount, pass })}</p>
      <form @submit=${this.submit} novalidate>
        ${q.questions.map((question, i) => this.question(question, i + 1))}
        <p class="sr-only" role="status" aria-live="polite">${this.announce}</p>
        <div role="alert">${this.message ? html`<p class="error">${this.message}</p>` : nothing}</div>
        ${
          r
            ? html`<div class="result card" tabindex="-1" role="status">
                <p><strong>${t('quiz.score', { score: fmtNumber(r.score * 100, 0), pass })}</strong></p>
                <p class=${r.passed ? 'ok' : 'ko'}>${r.passed ? t('quiz.passed') : t('quiz.failed')}</p>
                <button type="button" class="secondary" @click=${this.retry}>${t('quiz.retry')}</button>
              </div>`
            : html`<button type="submit" ?disabled=${this.submitting}>
                ${this.submitting ? t('quiz.submitting') : t('quiz.submit')}
              </button>`
        }
      </form>
    </section>`;
  }
}

customElements.define('hc-quiz', HcQuiz);
