/**
 * The few styles the player's own additions need (sign-in form, ordering buttons, quiz results,
 * completion status), added once as a <style> element — the embed pages allow inline styles
 * (`style-src 'self' 'unsafe-inline'`) and set the colours through --hocso-* custom properties.
 * Everything is scoped under #hocso-player and uses :where() so the page's own CSS wins.
 */
const CSS = `
:where(#hocso-player) .hocso-signin{margin:1rem 0;padding:.75rem 1rem;border:1px solid rgba(127,127,127,.35);border-radius:.5rem}
:where(#hocso-player) .hocso-signin summary{cursor:pointer;min-height:44px;display:flex;align-items:center;color:var(--hocso-primary,#0b5cad);font-weight:600}
:where(#hocso-player) .hocso-signin details[open] summary{margin-bottom:.5rem}
:where(#hocso-player) .hocso-signin-form{display:grid;gap:.35rem;max-width:22rem}
:where(#hocso-player) .hocso-signin-form p{margin:0 0 .25rem}
:where(#hocso-player) .hocso-signin-form input{font:inherit;width:100%;min-height:44px;padding:.4rem .6rem;border:1px solid #888;border-radius:.4rem}
:where(#hocso-player) .hocso-signin-form button{justify-self:start;min-height:44px;margin-top:.5rem}
:where(#hocso-player) .hocso-signin-message:empty,:where(#hocso-player) .hocso-complete-status:empty{display:none}
:where(#hocso-player) .hocso-signin-message,:where(#hocso-player) .hocso-quiz-error{color:#b3261e}
:where(#hocso-player) .hocso-signed-in{margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
:where(#hocso-player) .hocso-signout{background:transparent;color:var(--hocso-primary,#0b5cad)}
:where(#hocso-player) .hocso-move-buttons{display:inline-flex;gap:.25rem;margin-inline-start:.5rem}
:where(#hocso-player) .hocso-move{min-width:2.25rem;min-height:2.25rem}
:where(#hocso-player) .hocso-move:disabled{opacity:.35;cursor:default}
:where(#hocso-player) .hocso-ordering li{margin:.3rem 0}
:where(#hocso-player) fieldset[data-result=correct]{border-color:#1e7b34}
:where(#hocso-player) fieldset[data-result=incorrect]{border-color:#b3261e}
:where(#hocso-player) .hocso-quiz-result{margin-top:.75rem}
:where(#hocso-player) .hocso-quiz-result:focus{outline:none}
:where(#hocso-player) .hocso-question-results{padding-inline-start:1.25rem}
:where(#hocso-player) .hocso-question-results [data-correct=true] .hocso-verdict{color:#1e7b34}
:where(#hocso-player) .hocso-question-results [data-correct=false] .hocso-verdict{color:#b3261e}
:where(#hocso-player) .hocso-explanation{margin:.25rem 0 .5rem}
:where(#hocso-player) .hocso-score[data-passed=true] strong{color:#1e7b34}
:where(#hocso-player) .hocso-complete{min-height:44px}
:where(#hocso-player) .hocso-complete-status{margin:.5rem 0}
@media (prefers-reduced-motion:reduce){:where(#hocso-player) *{scroll-behavior:auto!important;transition:none!important;animation:none!important}}
`;

export function addStyles(): void {
  if (document.getElementById('hocso-player-styles')) return;
  const style = document.createElement('style');
  style.id = 'hocso-player-styles';
  style.textContent = CSS;
  document.head.append(style);
}
