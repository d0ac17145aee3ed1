/**
 * Messages to the embedding page (`window.parent`), sent with targetOrigin '*':
 *
 *   { type: 'hocso:ready',     kind, courseSlug, lessonId, height }   once, when the player has started
 *   { type: 'hocso:resize',    kind, courseSlug, lessonId, height }   at start and on every height change
 *   { type: 'hocso:completed', courseSlug, lessonId }                 when this lesson's completion is stored
 *
 * kind: 'course' | 'lesson'; courseSlug / lessonId: string or null; height: CSS pixels (integer).
 * '*' is acceptable because nothing in these messages is personal or secret: course slugs and lesson
 * ids are public catalogue identifiers and the height is layout. Nothing else is ever posted.
 * (The receiving side — hocso.js — checks both the origin and the source frame of what it gets.)
 */
export interface PageContext {
  kind: 'course' | 'lesson';
  courseSlug: string | null;
  lessonId: string | null;
}

function post(message: Record<string, unknown>): void {
  if (window.parent === window) return;
  try {
    window.parent.postMessage(message, '*');
  } catch {
    // a detached parent: nothing to tell
  }
}

function px(value: string): number {
  return Number.parseFloat(value) || 0;
}

/**
 * The height the frame needs: the bottom of the player plus what closes the page below it. Measured
 * from the content, not from the viewport, so a frame that is too tall shrinks back.
 */
function measure(main: HTMLElement | null): number {
  const html = document.documentElement;
  if (!main) return Math.ceil(html.getBoundingClientRect().height);
  const body = getComputedStyle(document.body);
  const bottom =
    main.getBoundingClientRect().bottom +
    window.scrollY +
    px(getComputedStyle(main).marginBottom) +
    px(body.paddingBottom) +
    px(body.marginBottom) +
    px(getComputedStyle(html).paddingBottom);
  return Math.ceil(bottom);
}

export function reportHeight(ctx: PageContext, main: HTMLElement | null): void {
  let last = -1;
  let scheduled = false;
  let ready = false;
  const send = () => {
    scheduled = false;
    const height = measure(main);
    if (!ready) {
      ready = true;
      last = height;
      post({ type: 'hocso:resize', height, ...ctx });
      post({ type: 'hocso:ready', height, ...ctx });
      return;
    }
    if (height === last) return;
    last = height;
    post({ type: 'hocso:resize', height, ...ctx });
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // not requestAnimationFrame: browsers pause it in frames scrolled out of view
    queueMicrotask(send);
  };
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(schedule);
    ro.observe(document.documentElement);
    if (main) ro.observe(main);
  } else {
    window.addEventListener('resize', schedule);
    window.setInterval(schedule, 1000);
  }
  // images and web fonts arriving late
  window.addEventListener('load', schedule);
  schedule();
}

export function reportCompleted(ctx: PageContext): void {
  post({ type: 'hocso:completed', courseSlug: ctx.courseSlug, lessonId: ctx.lessonId });
}
