import { html } from 'lit';
import { pick, t } from '../../i18n';
import type { CourseSummary } from './types';

/** A catalogue card: the title links to the course page (its heading level is the caller's h2). */
export const courseCard = (c: CourseSummary) =>
  html`<li class="card course">
    <h2><a href="/courses/${c.slug}">${pick(c.title)}</a></h2>
    <p class="summary">${pick(c.summary)}</p>
    <p class="meta muted">
      <span>${t(`learner.level.${c.level}`)}</span> ·
      <span>${t('learner.minutes', { n: c.estimatedMinutes })}</span> ·
      <span>${t('learner.lessons', { n: c.lessonCount })}</span>
    </p>
  </li>`;
