// SPDX-License-Identifier: Apache-2.0
// Negative control for the CSP checks of web-demo/test/browser.test.mjs:
// eval must be blocked here and in a module worker, and be seen by every check.
let r;
try {
  r = 'ran:' + eval('1');
} catch (e) {
  r = e.name;
}
document.getElementById('out').textContent = r;
setTimeout(() => eval('3')); // uncaught: must surface as a page error
const w = new Worker(new URL('./eval-worker.js', import.meta.url), { type: 'module' });
w.onmessage = (ev) => {
  document.getElementById('worker-out').textContent = ev.data;
};
