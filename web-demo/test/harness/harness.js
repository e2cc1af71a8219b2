// SPDX-License-Identifier: Apache-2.0
// Test harness page (never shipped): the browser tests drive the medseal
// package in a page through window.harness, with plain data in and out, and
// the portal's own module worker (the app's /worker.js). Bundled by the test
// with the app's bundle() (web-demo/scripts/build.mjs), importing `medseal`
// by name as the app does; served by the test under /__test__/harness/.
import {
  Identity,
  MedsealError,
  Vault,
  init,
  openRecord,
  reseal,
  share,
  signConsent,
  withdrawConsent,
} from 'medseal';

const dec = new TextDecoder();
let identity = null; // this page's identity (role 'patient')
let worker = null;
let nextId = 1;
const pending = new Map();

function askWorker(msg) {
  if (!worker) {
    worker = new Worker('/worker.js', { type: 'module', name: 'medseal-worker' });
    worker.addEventListener('message', (ev) => {
      const { id, ok, error, ...rest } = ev.data ?? {};
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      if (ok) p.resolve(rest);
      else
        p.reject(
          Object.assign(new Error(error?.message ?? 'worker error'), { code: error?.code ?? null }),
        );
    });
    worker.addEventListener('error', (ev) => {
      const err = new Error(`worker failed: ${ev.message || 'could not load'}`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
  }
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...msg });
  });
}

window.harness = Object.freeze({
  ready: init(),
  /** Creates (or replaces) this page's identity; returns its card JSON. */
  createIdentity(name) {
    const fresh = Identity.generate({ name, role: 'patient' });
    identity?.dispose();
    identity = fresh;
    return fresh.card;
  },
  /** Opens a sealed record (JSON text or bytes) addressed to this page; returns the body as text. */
  openFrom(senderCard, sealed) {
    return dec.decode(openRecord(identity, senderCard, sealed).body);
  },
  /** Tries to open; returns null if it opened, else what was thrown. */
  openError(senderCard, sealed) {
    try {
      openRecord(identity, senderCard, sealed);
      return null;
    } catch (e) {
      return { isMedseal: e instanceof MedsealError, name: e?.name, code: e?.code };
    }
  },
  /**
   * Consent-gated sharing in the page, as this page's patient: signs
   * `consentJson`, shares `bundle` to the two doctors (cards; actors
   * Practitioner/a and Practitioner/b) with self-copies in a vault,
   * withdraws Practitioner/b, re-seals from the vault, then erases every
   * shared record. Returns public data only (records, receipts, codes).
   */
  shareFlow(cardA, cardB, bundle, consentJson) {
    const treat = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' };
    const prcp = {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'PRCP',
    };
    const actor = (ref) => ({ references: [{ reference: ref }], roles: [prcp] });
    const candidates = [
      { card: cardA, actor: actor('Practitioner/a') },
      { card: cardB, actor: actor('Practitioner/b') },
    ];
    const receipt = signConsent(identity, consentJson);
    const vault = Vault.create();
    try {
      const first = share(identity, bundle, [receipt], candidates, { purpose: treat, vault });
      const shared = first.resources.filter((r) => r.record !== null);
      const withdrawn = withdrawConsent(identity, receipt, {
        scope: 'actor',
        actor: { reference: { reference: 'Practitioner/b' } },
      });
      const records = shared.map((r) => r.record);
      const again = reseal(
        identity,
        records,
        identity.card,
        vault,
        [receipt, withdrawn],
        candidates,
        {
          purpose: treat,
        },
      );
      const erasure = vault.erase(identity, { records: shared.map((r) => r.resourceId) });
      let afterErasure = null;
      try {
        vault.open(identity.card, records[0], treat);
      } catch (e) {
        afterErasure = e.code;
      }
      return {
        records,
        withheld: first.withheld,
        resealed: again.map((r) => r.resources[0].record),
        erasure: erasure.json,
        notify: erasure.notify,
        afterErasure,
      };
    } finally {
      vault.dispose();
    }
  },
  /** Seals in the portal's worker with the worker's own identity: resolves to {card, sealed}. */
  workerSeal: (recipientCard, text) => askWorker({ cmd: 'seal', recipientCard, text }),
});
