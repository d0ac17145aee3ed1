import { html, nothing } from 'lit';
import { ApiError } from '../../api';

/** Field errors from a problem+json answer, keyed by field ("consents.learning" → as is). */
export function fieldErrors(err: unknown, alias: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) {
    for (const e of err.errors) {
      const key = alias[e.field] ?? e.field;
      out[key] ??= e.message;
    }
  }
  return out;
}

/** A labelled input whose error is tied to it with aria-describedby and aria-invalid. */
export function field(opts: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
}) {
  const described = [opts.hint ? `${opts.id}-hint` : '', opts.error ? `${opts.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div>
    <label for=${opts.id}>${opts.label}</label>
    <input id=${opts.id} name=${opts.id} type=${opts.type ?? 'text'} .value=${opts.value ?? ''}
      autocomplete=${opts.autocomplete ?? nothing} inputmode=${opts.inputmode ?? nothing}
      ?required=${opts.required} aria-invalid=${opts.error ? 'true' : 'false'}
      aria-describedby=${described || nothing} />
    ${opts.hint ? html`<p id="${opts.id}-hint" class="muted hint">${opts.hint}</p>` : nothing}
    ${opts.error ? html`<p id="${opts.id}-error" class="error">${opts.error}</p>` : nothing}
  </div>`;
}

/** Focuses the first invalid control after the render. */
export function focusFirstInvalid(root: ParentNode): void {
  root.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
