/**
 * player.js — the script of Hocso's embed pages (`/embed/courses/{slug}`, `/embed/lessons/{id}`),
 * which the server renders as plain HTML around `<main id="hocso-player" data-kind="course|lesson"
 * data-course-slug data-lesson-id data-locale>`. No framework, no dependencies; everything here
 * enhances markup that already works without it.
 *
 *   - height, ready and completion messages to the embedding page ........ frame.ts
 *   - session (sessionStorage['hocso.session']), sign-in, refresh ......... api.ts, signin.ts
 *   - enrollment, lesson_started / heartbeat / lesson_completed queue ..... progress.ts
 *   - quizzes and ordering questions ...................................... quiz.ts
 *
 * API calls go to the origin (and path prefix) this script was served from: the embed pages and
 * the API are one server.
 */
import { Api, onSessionChange, readSession } from './api';
import { h } from './dom';
import { type PageContext, reportCompleted, reportHeight } from './frame';
import { type Lang, strings } from './i18n';
import { dropQueue, Progress } from './progress';
import { setupQuizzes } from './quiz';
import { SignIn } from './signin';
import { addStyles } from './styles';

function scriptBase(): string {
  const current = document.currentScript;
  const src = current instanceof HTMLScriptElement ? current.src : '';
  if (!src) return location.origin;
  const url = new URL(src, location.href);
  return url.origin + url.pathname.replace(/\/embed\/v1\/[^/]*$/, '');
}

const base = scriptBase();

/**
 * Links to other embed pages keep the page's language (`?lang=`), so a frame opened in Vietnamese
 * does not switch to the browser's language on the next page.
 */
function keepLanguage(main: HTMLElement, lang: Lang): void {
  for (const a of main.querySelectorAll<HTMLAnchorElement>('a[href^="/embed/"]')) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.searchParams.has('lang')) continue;
    url.searchParams.set('lang', lang);
    a.href = url.pathname + url.search + url.hash;
  }
}

function start(): void {
  const main = document.getElementById('hocso-player');
  const data = main?.dataset ?? {};
  const ctx: PageContext = {
    kind: data.kind === 'lesson' ? 'lesson' : 'course',
    courseSlug: data.courseSlug || null,
    lessonId: data.lessonId || null,
  };
  reportHeight(ctx, main);
  if (!main) return;
  addStyles();

  const lang: Lang = data.locale === 'en' ? 'en' : 'vi';
  const t = strings(lang);
  const api = new Api(base, lang);
  const onLesson = ctx.kind === 'lesson' && !!ctx.courseSlug && !!ctx.lessonId;

  const complete = main.querySelector<HTMLButtonElement>('button.hocso-complete');
  const completeLabel = complete?.textContent ?? '';
  const completeStatus = h('p', { class: 'hocso-complete-status', 'aria-live': 'polite' });
  complete?.after(completeStatus);
  let completed = false;

  const progress = new Progress(api, ctx.courseSlug ?? '', ctx.lessonId ?? '', {
    onCompleted: () => {
      if (completed) return;
      completed = true;
      if (complete) {
        complete.disabled = true;
        complete.textContent = t.completed;
      }
      completeStatus.textContent = '';
      reportCompleted(ctx);
    },
    onCompleteRejected: () => {
      if (complete) {
        complete.disabled = false;
        complete.textContent = completeLabel;
      }
      completeStatus.textContent = t.completeFailed;
    },
    onSignedOut: () => refreshUi(),
  });

  let signinEl = main.querySelector<HTMLElement>('.hocso-signin');
  if (!signinEl) {
    signinEl = h('div', { class: 'hocso-signin' });
    main.querySelector('.hocso-head')?.after(signinEl) ?? main.prepend(signinEl);
  }
  let afterSignIn: (() => void) | null = null;
  const signIn = new SignIn(signinEl, api, t, ctx.kind === 'course');
  keepLanguage(main, lang);

  function refreshUi(): void {
    signIn.render();
    if (complete) complete.hidden = !(onLesson && readSession());
  }

  function signedIn(): void {
    refreshUi();
    if (onLesson) void progress.start();
    else void progress.flush();
    const retry = afterSignIn;
    afterSignIn = null;
    retry?.();
  }

  function signedOut(): void {
    progress.stop();
    dropQueue();
    refreshUi();
  }

  let wasSignedIn = !!readSession();
  onSessionChange((session) => {
    if (!!session === wasSignedIn) return; // a refresh, not a sign-in or sign-out
    wasSignedIn = !!session;
    if (session) signedIn();
    else signedOut();
  });

  complete?.addEventListener('click', () => {
    if (completed || !onLesson) return;
    complete.disabled = true;
    complete.textContent = t.saving;
    completeStatus.textContent = '';
    progress.complete();
    // Say it is kept for later once the send has failed — or is still hanging after 3 s.
    const settledOrSlow = Promise.race([progress.flush(), new Promise((resolve) => setTimeout(resolve, 3000))]);
    void settledOrSlow.then(() => {
      if (!completed && progress.completionPending()) {
        complete.textContent = completeLabel;
        completeStatus.textContent = t.completedQueued;
      }
    });
  });

  if (ctx.courseSlug) {
    setupQuizzes(main, {
      api,
      t,
      courseSlug: ctx.courseSlug,
      ensureEnrolled: () => progress.ensureEnrolled(),
      requireSignIn: (reason, retry) => {
        afterSignIn = retry;
        signIn.prompt(reason);
      },
    });
  }

  if (wasSignedIn) signedIn();
  else refreshUi();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
