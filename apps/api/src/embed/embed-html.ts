import MarkdownIt from 'markdown-it';
import type { CourseOutlineDto } from '../courses/dto/catalogue.dto';
import type { LessonBlockDto, LessonDto } from '../courses/dto/lesson.dto';

/** Lesson text is Markdown written by content editors; raw HTML in it is never passed through. */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

export const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

type Locale = 'vi' | 'en';
type Localized = { vi: string; en: string } | string;
const t = (v: Localized, locale: Locale) => (typeof v === 'string' ? v : (v[locale] ?? v.vi));

const UI = {
  vi: {
    lessons: 'bài học',
    minutes: 'phút',
    start: 'Bắt đầu học',
    submit: 'Nộp bài',
    complete: 'Đánh dấu đã học xong',
    download: 'Tải về',
    transcript: 'Lời thoại',
    practice: 'Thực hành',
    previous: 'Bài trước',
    next: 'Bài tiếp',
    up: 'Lên',
    down: 'Xuống',
    poweredBy: 'Học Số — nền tảng học kỹ năng số',
  },
  en: {
    lessons: 'lessons',
    minutes: 'min',
    start: 'Start learning',
    submit: 'Submit',
    complete: 'Mark as done',
    download: 'Download',
    transcript: 'Transcript',
    practice: 'Practice',
    previous: 'Previous',
    next: 'Next',
    up: 'Up',
    down: 'Down',
    poweredBy: 'Hocso — digital skills learning',
  },
};

const STYLE = `:root{--hocso-primary:#0b5cad;--hocso-fg:#1b1f24;--hocso-bg:#fff}*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,"Be Vietnam Pro",Arial,sans-serif;color:var(--hocso-fg);background:var(--hocso-bg)}
main{max-width:48rem;margin:0 auto;padding:1rem}h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem}
a{color:var(--hocso-primary)}img,video{max-width:100%;height:auto}.hocso-meta{color:#555;font-size:.9rem}
.hocso-block{margin:1rem 0}fieldset{border:1px solid #ccd;border-radius:.4rem;margin:.7rem 0;padding:.6rem}
legend{font-weight:600}label{display:block;margin:.25rem 0}button{font:inherit;padding:.45rem .9rem;border-radius:.4rem;
border:1px solid var(--hocso-primary);background:var(--hocso-primary);color:#fff;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.hocso-ordering button{padding:.1rem .45rem;margin-left:.3rem;background:#fff;color:var(--hocso-primary)}
.hocso-outline li{margin:.3rem 0}.hocso-nav{display:flex;justify-content:space-between;margin-top:1.2rem}
footer small{color:#777}`;

function page(input: {
  locale: Locale;
  title: string;
  oembedUrl: string;
  canonical: string;
  main: string;
  dataset: Record<string, string>;
}): string {
  const data = Object.entries(input.dataset)
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  return `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(input.title)}</title>
<link rel="canonical" href="${esc(input.canonical)}">
<link rel="alternate" type="application/json+oembed" href="${esc(input.oembedUrl)}" title="${esc(input.title)}">
<style>${STYLE}</style></head><body>
<main id="hocso-player"${data}>${input.main}</main>
<script src="/embed/v1/player.js" defer></script></body></html>`;
}

export function coursePage(
  o: CourseOutlineDto,
  locale: Locale,
  links: { oembed: string; canonical: string; lessonHref: (id: string) => string },
): string {
  const u = UI[locale];
  const first = o.modules[0]?.lessons[0];
  const outline = o.modules
    .map(
      (m) =>
        `<li><strong>${esc(t(m.title, locale))}</strong><ol>${m.lessons
          .map(
            (l) =>
              `<li><a class="hocso-lesson-link" href="${esc(links.lessonHref(l.id))}">${esc(t(l.title, locale))}</a> <span class="hocso-meta">· ${l.minutes} ${u.minutes}</span></li>`,
          )
          .join('')}</ol></li>`,
    )
    .join('');
  const main = `<header class="hocso-head"><h1>${esc(t(o.title, locale))}</h1>
<p class="hocso-meta">${esc(o.level)} · ${o.lessonCount} ${u.lessons} · ≈ ${o.estimatedMinutes} ${u.minutes}</p></header>
<div class="hocso-signin" hidden></div>
<p>${esc(t(o.summary, locale))}</p>
${first ? `<p><a class="hocso-start" href="${esc(links.lessonHref(first.id))}">${u.start}</a></p>` : ''}
<ol class="hocso-outline">${outline}</ol>
<footer><small>${u.poweredBy}</small></footer>`;
  return page({
    locale,
    title: t(o.title, locale),
    oembedUrl: links.oembed,
    canonical: links.canonical,
    main,
    dataset: { kind: 'course', 'course-slug': o.slug, locale },
  });
}

function block(b: LessonBlockDto, locale: Locale): string {
  const u = UI[locale];
  switch (b.kind) {
    case 'text':
      return `<section class="hocso-block hocso-text">${md.render(b.markdown)}</section>`;
    case 'image':
      return `<figure class="hocso-block"><img src="${esc(b.src)}" alt="${esc(b.alt)}" loading="lazy">${
        b.caption ? `<figcaption>${esc(b.caption)}</figcaption>` : ''
      }</figure>`;
    case 'video':
      return `<section class="hocso-block hocso-video" data-block-id="${esc(b.id)}">${b.title ? `<h2>${esc(b.title)}</h2>` : ''}
<video controls preload="none" src="${esc(b.url)}">${b.captions
        .map(
          (c) =>
            `<track kind="captions" srclang="${esc(c.lang)}" src="${esc(c.url)}" label="${esc(c.label ?? c.lang)}">`,
        )
        .join(
          '',
        )}</video>${b.transcript ? `<details><summary>${u.transcript}</summary>${md.render(b.transcript)}</details>` : ''}</section>`;
    case 'download':
      return `<p class="hocso-block"><a href="${esc(b.url)}" download>${u.download}: ${esc(b.title)}</a> <span class="hocso-meta">(${Math.ceil(
        b.sizeBytes / 1024,
      )} KB)</span></p>`;
    case 'practice':
      return `<section class="hocso-block hocso-practice"><h2>${u.practice}: ${esc(b.title)}</h2>${
        b.scenario ? `<p>${esc(b.scenario)}</p>` : ''
      }<ol>${b.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol><ul>${b.checklist
        .map((c) => `<li><label><input type="checkbox"> ${esc(c)}</label></li>`)
        .join('')}</ul></section>`;
    case 'quiz':
      return `<form class="hocso-block hocso-quiz" data-quiz-id="${esc(b.quizId)}">${b.title ? `<h2>${esc(b.title)}</h2>` : ''}${b.questions
        .map((q) => {
          if (q.type === 'ordering') {
            return `<fieldset data-question-id="${esc(q.id)}" data-type="ordering"><legend>${esc(q.prompt)}</legend><ol class="hocso-ordering">${(
              q.items ?? []
            )
              .map((it) => `<li data-item-id="${esc(it.id)}">${esc(it.text)}</li>`)
              .join('')}</ol></fieldset>`;
          }
          const type = q.type === 'multiple' ? 'checkbox' : 'radio';
          return `<fieldset data-question-id="${esc(q.id)}" data-type="${esc(q.type)}"><legend>${esc(q.prompt)}</legend>${(
            q.options ?? []
          )
            .map((o) => `<label><input type="${type}" name="${esc(q.id)}" value="${esc(o.id)}"> ${esc(o.text)}</label>`)
            .join('')}</fieldset>`;
        })
        .join(
          '',
        )}<button type="submit">${u.submit}</button><div class="hocso-quiz-result" aria-live="polite"></div></form>`;
  }
}

export function lessonPage(
  l: LessonDto,
  locale: Locale,
  links: { oembed: string; canonical: string; lessonHref: (id: string) => string; courseHref: string },
): string {
  const u = UI[locale];
  const main = `<header class="hocso-head"><p class="hocso-meta"><a href="${esc(links.courseHref)}">${esc(
    t(l.course.title, locale),
  )}</a> · ${esc(t(l.module.title, locale))}</p><h1>${esc(t(l.title, locale))}</h1>
<p class="hocso-meta">≈ ${l.minutes} ${u.minutes}</p></header>
<div class="hocso-signin" hidden></div>
<article class="hocso-lesson">${l.blocks.map((b) => block(b, locale)).join('\n')}</article>
<footer class="hocso-actions"><button type="button" class="hocso-complete" hidden>${u.complete}</button>
<nav class="hocso-nav">${l.previous ? `<a href="${esc(links.lessonHref(l.previous.id))}">← ${u.previous}</a>` : '<span></span>'}${
    l.next ? `<a href="${esc(links.lessonHref(l.next.id))}">${u.next} →</a>` : ''
  }</nav><small>${u.poweredBy}</small></footer>`;
  return page({
    locale,
    title: t(l.title, locale),
    oembedUrl: links.oembed,
    canonical: links.canonical,
    main,
    dataset: { kind: 'lesson', 'course-slug': l.course.slug, 'lesson-id': l.id, locale },
  });
}
