import { css } from 'lit';

/**
 * Shared styles. Everything lives in each element's shadow root; nothing is added to the page.
 *
 * Theming — set these CSS custom properties on the element (or any ancestor) from the host page:
 *
 *   --hocso-font        font-family             default: the system UI font stack
 *   --hocso-primary     buttons, links, focus   default: #0b5cad
 *   --hocso-on-primary  text on primary buttons default: #ffffff
 *   --hocso-radius      corner radius           default: 8px
 *   --hocso-bg          background              default: #ffffff
 *   --hocso-fg          text colour             default: #1b1f24
 *
 *   hocso-catalog { --hocso-primary: #b3261e; --hocso-radius: 4px; --hocso-font: "Be Vietnam Pro", sans-serif; }
 *
 * Isolation the other way: the host page's inherited styles (color, font, line-height, text-align…
 * including a `* { … }` rule, which matches the host element itself) stop at `.root`, which resets
 * every property (`all: initial`) and sets its own. Sizes are in rem/em so the page's root font
 * size still scales the components.
 */
export const baseStyles = css`
  :host {
    display: block;
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  .root {
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(
      --hocso-font,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      'Helvetica Neue',
      Arial,
      sans-serif
    );
    font-size: 1rem;
    line-height: 1.5;
    color: var(--hocso-fg, #1b1f24);
    background: var(--hocso-bg, #ffffff);
    text-align: start;
    -webkit-text-size-adjust: 100%;
  }
  .root *,
  .root *::before,
  .root *::after {
    box-sizing: border-box;
  }
  h2,
  h3,
  p,
  ol,
  ul {
    margin: 0;
    padding: 0;
  }
  h2 {
    font-size: 1.375em;
    line-height: 1.3;
    font-weight: 700;
  }
  h3 {
    font-size: 1.0625em;
    line-height: 1.35;
    font-weight: 650;
  }
  a {
    color: var(--hocso-primary, #0b5cad);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  a:hover {
    text-decoration-thickness: 2px;
  }
  button {
    font: inherit;
    margin: 0;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-height: 44px;
    padding: 0.55em 1.1em;
    border: 2px solid var(--hocso-primary, #0b5cad);
    border-radius: var(--hocso-radius, 8px);
    background: var(--hocso-primary, #0b5cad);
    color: var(--hocso-on-primary, #ffffff);
    font-weight: 600;
    line-height: 1.2;
    cursor: pointer;
    transition: filter 0.15s ease;
  }
  .btn:hover {
    filter: brightness(1.1);
  }
  .btn.secondary {
    background: transparent;
    color: var(--hocso-primary, #0b5cad);
  }
  :focus-visible {
    outline: 3px solid var(--hocso-primary, #0b5cad);
    outline-offset: 2px;
    border-radius: 2px;
  }
  .muted {
    opacity: 0.78;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
    font-size: 0.875em;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.95em;
  }
  .status {
    padding: 1em 0;
  }
  .skeleton {
    display: grid;
    gap: 0.75em;
  }
  .skeleton span {
    display: block;
    height: 5.5em;
    border-radius: var(--hocso-radius, 8px);
    background: rgba(127, 127, 127, 0.14);
    animation: hocso-pulse 1.4s ease-in-out infinite;
  }
  @keyframes hocso-pulse {
    50% {
      opacity: 0.45;
    }
  }
  .error {
    display: grid;
    gap: 0.75em;
    justify-items: start;
    padding: 1em;
    border: 1px solid rgba(179, 38, 30, 0.5);
    border-radius: var(--hocso-radius, 8px);
  }
  .frame-bar {
    display: flex;
    align-items: center;
    gap: 0.75em;
    margin: 0.75em 0;
  }
  iframe {
    display: block;
    width: 100%;
    min-height: 120px;
    border: 1px solid rgba(127, 127, 127, 0.35);
    border-radius: var(--hocso-radius, 8px);
    background: var(--hocso-bg, #ffffff);
  }
  .powered {
    margin-top: 0.75em;
    font-size: 0.8em;
  }
  .powered a {
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
