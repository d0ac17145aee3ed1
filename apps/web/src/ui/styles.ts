import { css } from 'lit';

/** Shared look: large touch targets (≥ 44 px), visible focus, readable on a 360 px screen. */
export const base = css`
  :host {
    /* flow-root: a first child's margin stays inside, so swapping the loading line for the content
       does not move the element (layout shift) */
    display: flow-root;
    color: var(--hc-text);
    font: inherit;
  }
  a {
    color: var(--hc-link);
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--hc-focus);
    outline-offset: 2px;
  }
  h1 {
    font-size: 1.5rem;
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h2 {
    font-size: 1.2rem;
    margin: 1.25rem 0 0.5rem;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1rem;
    border-radius: 8px;
    border: 1px solid var(--hc-primary);
    background: var(--hc-primary);
    color: #fff;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    text-decoration: none;
  }
  button.secondary,
  .button.secondary {
    background: #fff;
    color: var(--hc-primary);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  label {
    display: block;
    font-weight: 600;
    margin: 0.75rem 0 0.25rem;
  }
  input,
  select,
  textarea {
    box-sizing: border-box;
    width: 100%;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--hc-border);
    border-radius: 8px;
    font: inherit;
    background: #fff;
    color: var(--hc-text);
  }
  .card {
    background: #fff;
    border: 1px solid var(--hc-border);
    border-radius: 12px;
    padding: 1rem;
  }
  .muted {
    color: var(--hc-muted);
  }
  .error {
    color: var(--hc-error);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem;
    border-bottom: 1px solid var(--hc-border);
    vertical-align: top;
  }
  /* A checkbox with its label beside it (consents, quiz options, confirmations). */
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
  }
  .check input {
    width: 1.4rem;
    min-height: 1.4rem;
    margin: 0.7rem 0 0;
    flex: none;
  }
  .check label {
    font-weight: 400;
    margin: 0;
    padding: 0.55rem 0;
  }
  .table-wrap {
    overflow-x: auto;
  }
`;
