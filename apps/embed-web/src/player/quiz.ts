import { type Api, ApiError, NetworkError, readSession, SignedOutError } from './api';
import { h } from './dom';
import type { Strings } from './i18n';

/**
 * Server-rendered quizzes (`form.hocso-quiz[data-quiz-id]`, one `fieldset[data-question-id]` per
 * question; `data-type` single | multiple | truefalse | ordering). Submitting sends
 * `POST /v1/courses/{slug}/quizzes/{quizId}/attempts {answers: [{questionId, optionIds}]}` — the
 * checked inputs' values ("true"/"false" for true/false questions), or for ordering the
 * `li[data-item-id]` ids in the order the learner arranged them with the move buttons — and shows
 * the score, pass/fail and each question's result with its explanation in `.hocso-quiz-result`.
 * Fieldsets get `data-result="correct|incorrect"` for the page's CSS.
 */
interface AttemptResult {
  score: number;
  passed: boolean;
  passMark: number;
  courseCompleted: boolean;
  questions: Array<{ questionId: string; correct: boolean; explanation?: string }>;
}

export interface QuizDeps {
  api: Api;
  t: Strings;
  courseSlug: string;
  ensureEnrolled(): Promise<void>;
  /** ask the learner to sign in; `retry` runs once they have */
  requireSignIn(reason: string, retry: () => void): void;
}

const pct = (x: number) => Math.round(x * 100);

function questionText(fs: HTMLFieldSetElement): string {
  return fs.querySelector('legend')?.textContent?.trim() ?? '';
}

export function setupQuizzes(root: ParentNode, deps: QuizDeps): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form.hocso-quiz[data-quiz-id]')) {
    for (const list of form.querySelectorAll<HTMLOListElement>('ol.hocso-ordering')) setupOrdering(list, deps.t);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(form, deps);
    });
  }
}

function collect(form: HTMLFormElement): {
  answers: Array<{ questionId: string; optionIds: string[] }>;
  missing?: HTMLFieldSetElement;
} {
  const answers: Array<{ questionId: string; optionIds: string[] }> = [];
  let missing: HTMLFieldSetElement | undefined;
  for (const fs of form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question-id]')) {
    const optionIds =
      fs.dataset.type === 'ordering'
        ? Array.from(
            fs.querySelectorAll<HTMLLIElement>('ol.hocso-ordering > li[data-item-id]'),
            (li) => li.dataset.itemId ?? '',
          )
        : Array.from(fs.querySelectorAll<HTMLInputElement>('input:checked'), (input) => input.value);
    if (!optionIds.length) missing ??= fs;
    answers.push({ questionId: fs.dataset.questionId ?? '', optionIds });
  }
  return { answers, missing };
}

async function submit(form: HTMLFormElement, deps: QuizDeps): Promise<void> {
  const { t } = deps;
  const result =
    form.querySelector<HTMLElement>('.hocso-quiz-result') ??
    form.appendChild(h('div', { class: 'hocso-quiz-result', 'aria-live': 'polite' }));
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"], button:not([type])');
  const { answers, missing } = collect(form);
  if (missing) {
    result.replaceChildren(h('p', { class: 'hocso-quiz-error' }, t.quizMissing(questionText(missing))));
    missing.querySelector<HTMLElement>('input, button')?.focus();
    return;
  }
  if (!readSession()) {
    result.replaceChildren(h('p', { class: 'hocso-quiz-error' }, t.quizSignin));
    deps.requireSignIn(t.quizSignin, () => void submit(form, deps));
    return;
  }
  if (button) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  result.replaceChildren(h('p', {}, t.grading));
  try {
    await deps.ensureEnrolled();
    const quizId = form.dataset.quizId ?? '';
    const res = await deps.api.call<AttemptResult>(
      'POST',
      `/v1/courses/${encodeURIComponent(deps.courseSlug)}/quizzes/${encodeURIComponent(quizId)}/attempts`,
      { answers },
    );
    showResult(form, result, res, t);
  } catch (err) {
    if (err instanceof SignedOutError) {
      result.replaceChildren(h('p', { class: 'hocso-quiz-error' }, t.quizSignin));
      deps.requireSignIn(t.quizSignin, () => void submit(form, deps));
    } else {
      const text = err instanceof ApiError && !(err instanceof NetworkError) ? err.message : t.offline;
      result.replaceChildren(h('p', { class: 'hocso-quiz-error', role: 'alert' }, text));
    }
  } finally {
    if (button) button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function showResult(form: HTMLFormElement, result: HTMLElement, res: AttemptResult, t: Strings): void {
  const fieldsets = new Map(
    Array.from(form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question-id]'), (fs) => [
      fs.dataset.questionId,
      fs,
    ]),
  );
  const list = h('ol', { class: 'hocso-question-results' });
  res.questions.forEach((q, i) => {
    const fs = fieldsets.get(q.questionId);
    if (fs) fs.dataset.result = q.correct ? 'correct' : 'incorrect';
    list.append(
      h(
        'li',
        { 'data-correct': String(q.correct) },
        h('strong', {}, `${t.question(i + 1)}${fs ? `: ${questionText(fs)}` : ''}`),
        ' — ',
        h('span', { class: 'hocso-verdict' }, q.correct ? `✓ ${t.correct}` : `✗ ${t.incorrect}`),
        q.explanation ? h('p', { class: 'hocso-explanation' }, q.explanation) : null,
      ),
    );
  });
  result.replaceChildren(
    h(
      'p',
      { class: 'hocso-score', 'data-passed': String(res.passed) },
      h('strong', {}, t.score(pct(res.score))),
      ` — ${res.passed ? t.passed : t.failed} (${t.passMark(pct(res.passMark))})`,
    ),
    list,
  );
  if (res.courseCompleted) result.append(h('p', { class: 'hocso-course-completed' }, t.courseCompleted));
  result.tabIndex = -1;
  result.focus({ preventScroll: false });
}

/** Move-up/move-down buttons on each item of an ordering question, with a spoken position. */
function setupOrdering(list: HTMLOListElement, t: Strings): void {
  const live = h('p', { class: 'hocso-ordering-status', 'aria-live': 'polite' });
  live.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap';
  list.after(live);
  const items = () => Array.from(list.querySelectorAll<HTMLLIElement>(':scope > li[data-item-id]'));
  const refresh = () => {
    const all = items();
    all.forEach((li, i) => {
      const [up, down] = li.querySelectorAll<HTMLButtonElement>('.hocso-move');
      up.disabled = i === 0;
      down.disabled = i === all.length - 1;
    });
  };
  for (const li of items()) {
    const label = li.textContent?.trim() ?? '';
    li.dataset.label = label;
    const up = h('button', { type: 'button', class: 'hocso-move hocso-move-up', 'aria-label': t.moveUp(label) }, '↑');
    const down = h(
      'button',
      { type: 'button', class: 'hocso-move hocso-move-down', 'aria-label': t.moveDown(label) },
      '↓',
    );
    const move = (by: -1 | 1, button: HTMLButtonElement) => {
      const all = items();
      const i = all.indexOf(li);
      const j = i + by;
      if (j < 0 || j >= all.length) return;
      if (by < 0) all[j].before(li);
      else all[j].after(li);
      refresh();
      (button.disabled ? (by < 0 ? down : up) : button).focus();
      live.textContent = t.moved(label, j + 1, all.length);
    };
    up.addEventListener('click', () => move(-1, up));
    down.addEventListener('click', () => move(1, down));
    li.append(' ', h('span', { class: 'hocso-move-buttons' }, up, down));
  }
  refresh();
}
