import './app';
// Progress made offline is sent whichever page the learner opens next (and the indicator counts it).
import './offline/progress-queue';
import { lang } from './i18n';

document.documentElement.lang = lang();

// Offline-first: the service worker caches the shell and the lessons a learner opens.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
