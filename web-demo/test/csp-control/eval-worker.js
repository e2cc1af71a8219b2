// SPDX-License-Identifier: Apache-2.0
// Negative control, worker side: eval must be blocked in a module worker too.
let r;
try {
  r = 'ran:' + (0, eval)('2');
} catch (e) {
  r = e.name;
}
self.postMessage(r);
