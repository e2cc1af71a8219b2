// SPDX-License-Identifier: Apache-2.0
// Test harness page (never shipped) for web-demo/test/keystore.test.mjs:
// enrols a passkey with the WebAuthn PRF extension (Chromium's DevTools
// virtual authenticator, set up by the test), makes a keystore whose slot
// needs passphrase + passkey, unlocks it in the package's keystore Worker
// (dist/keystore-worker.js, copied beside this script by the test) at the
// default Argon2id cost, and fails with the right code on a wrong passkey,
// a wrong passphrase and an enrolment whose two PRF evaluations differ,
// while a timer and requestAnimationFrame count how often the page's thread
// was free. Plain data in and out; no secret leaves the page.
import {
  DEFAULT_KDF_POLICY,
  Identity,
  Keystore,
  inspectKeystore,
  KeystoreWorker,
  MedsealError,
  init,
} from 'medseal';

const enc = (s) => new TextEncoder().encode(s);
const random = (n) => crypto.getRandomValues(new Uint8Array(n));

function errorOf(e) {
  return { name: e?.name, code: e?.code, isMedsealError: e instanceof MedsealError };
}

// Runs `work` while a 5 ms timer and requestAnimationFrame count their
// callbacks; returns its result with the counts, the longest gap between
// two timer callbacks and the elapsed time.
async function watched(work) {
  let ticks = 0;
  let frames = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  let raf = true;
  const frame = () => {
    frames++;
    if (raf) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const start = performance.now();
  let result;
  let error;
  try {
    result = await work();
  } catch (e) {
    error = errorOf(e);
  }
  const ms = performance.now() - start;
  // One more turn so that a timer callback late because of `work` is counted.
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  raf = false;
  maxGap = Math.max(maxGap, performance.now() - last - 20);
  return { result, error, ms, ticks, frames, maxGap };
}

async function createPasskey(name) {
  const cred = await navigator.credentials.create({
    publicKey: {
      rp: { id: 'localhost', name: 'medseal test' },
      user: { id: random(16), name, displayName: name },
      challenge: random(32),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      extensions: { prf: {} },
    },
  });
  return {
    id: new Uint8Array(cred.rawId),
    prfEnabled: cred.getClientExtensionResults().prf?.enabled === true,
  };
}

// One WebAuthn get() evaluating the credential's PRF at `salt`.
async function evaluatePrf(credentialId, salt) {
  const assertion = await navigator.credentials.get({
    publicKey: {
      rpId: 'localhost',
      challenge: random(32),
      allowCredentials: [{ type: 'public-key', id: credentialId }],
      userVerification: 'required',
      extensions: { prf: { eval: { first: salt } } },
    },
  });
  const first = assertion.getClientExtensionResults().prf?.results?.first;
  if (first === undefined) throw new Error('no PRF result');
  return new Uint8Array(first);
}

async function passkeyFlow() {
  const out = {};
  const passkey = await createPasskey('pat@example.org');
  const other = await createPasskey('someone-else@example.org');
  out.prfEnabled = passkey.prfEnabled && other.prfEnabled;
  const prfSalt = random(32);
  const prfFirst = await evaluatePrf(passkey.id, prfSalt);
  const prfSecond = await evaluatePrf(passkey.id, prfSalt);
  out.prfLength = prfFirst.length;
  out.prfStable = prfFirst.every((b, i) => b === prfSecond[i]);
  const otherPrf = await evaluatePrf(other.id, prfSalt);
  out.otherDiffers = !otherPrf.every((b, i) => b === prfFirst[i]);

  const identity = Identity.generate({ name: 'Pat Example', role: 'patient' });
  const keyId = identity.keyId;
  // A keystore in the Worker: passphrase slot, then the passkey as second
  // factor, both at the default Argon2id cost (64 MiB, 3 passes).
  const made = await watched(async () => {
    const kw = await KeystoreWorker.create(identity, {});
    await kw.setPassphrase(enc('correct horse battery staple'));
    // Enrolment with outputs that differ (another credential's): refused.
    let mismatch;
    try {
      await kw.enrollPasskey(enc('correct horse battery staple'), {
        credentialId: passkey.id,
        prfSalt,
        prfFirst: prfFirst.slice(),
        prfSecond: otherPrf.slice(),
      });
    } catch (e) {
      mismatch = errorOf(e);
    }
    const kindsAfterMismatch = kw.info.slots.map((s) => s.kind);
    const first = prfFirst.slice();
    await kw.enrollPasskey(enc('correct horse battery staple'), {
      credentialId: passkey.id,
      prfSalt,
      prfFirst: first,
      prfSecond: prfSecond.slice(),
    });
    const blob = await kw.serialize();
    const info = kw.info;
    kw.dispose();
    return {
      blob,
      mismatch,
      kindsAfterMismatch,
      callerPrfZeroed: first.every((b) => b === 0),
      kinds: info.slots.map((s) => s.kind),
      params: info.slots[0].params,
    };
  });
  identity.dispose();
  if (made.error) return { ...out, madeError: made.error };
  const { blob } = made.result;
  out.enrolment = {
    mismatch: made.result.mismatch,
    kindsAfterMismatch: made.result.kindsAfterMismatch,
    kinds: made.result.kinds,
    params: made.result.params,
    callerPrfZeroed: made.result.callerPrfZeroed,
    ms: made.ms,
    maxGap: made.maxGap,
  };

  // What a returning user does: read the slot's credential id and PRF input
  // from the blob, evaluate the PRF, unlock in the Worker.
  const slot = inspectKeystore(blob).slots.find((s) => s.kind === 2);
  const prf = await evaluatePrf(slot.credentialId, slot.prfSalt);
  const pass = enc('correct horse battery staple');
  const unlocked = await watched(async () => {
    const kw = await KeystoreWorker.unlockWithPassphraseAndPasskey(blob, pass, {
      credentialId: slot.credentialId,
      prf,
    });
    const id = await kw.identity({ name: 'Pat Example', role: 'patient' });
    const r = { keyId: id.keyId };
    id.dispose();
    kw.dispose();
    return r;
  });
  out.unlock = {
    ok: unlocked.result?.keyId === keyId,
    error: unlocked.error,
    ms: unlocked.ms,
    ticks: unlocked.ticks,
    frames: unlocked.frames,
    maxGap: unlocked.maxGap,
    passZeroed: pass.every((b) => b === 0),
    prfZeroed: prf.every((b) => b === 0),
  };

  // The other passkey's PRF output: WRONG_SECOND_FACTOR (found before Argon2id runs).
  const wrongKey = await watched(() =>
    KeystoreWorker.unlockWithPassphraseAndPasskey(blob, enc('correct horse battery staple'), {
      credentialId: slot.credentialId,
      prf: otherPrf.slice(),
    }),
  );
  out.wrongPasskey = wrongKey.error;
  // The right passkey, the wrong passphrase: WRONG_PASSPHRASE.
  const wrongPass = await watched(async () =>
    KeystoreWorker.unlockWithPassphraseAndPasskey(blob, enc('correct horse battery stapler'), {
      credentialId: slot.credentialId,
      prf: await evaluatePrf(slot.credentialId, slot.prfSalt),
    }),
  );
  out.wrongPassphrase = { ...wrongPass.error, ms: wrongPass.ms, maxGap: wrongPass.maxGap };
  // The passphrase alone: no slot opens with it.
  const alone = await watched(() =>
    KeystoreWorker.unlockWithPassphrase(blob, enc('correct horse battery staple')),
  );
  out.passphraseAlone = alone.error;

  // The same unlock on the page's own thread (no Worker): the timer stalls
  // for as long as Argon2id runs, which is what the Worker avoids.
  const pagePrf = await evaluatePrf(slot.credentialId, slot.prfSalt);
  const onPage = await watched(async () => {
    const ks = Keystore.unlockWithPassphraseAndPasskey(blob, enc('correct horse battery staple'), {
      credentialId: slot.credentialId,
      prf: pagePrf,
    });
    ks.dispose();
    return true;
  });
  out.onPage = {
    ok: onPage.result === true,
    ms: onPage.ms,
    maxGap: onPage.maxGap,
    error: onPage.error,
  };
  return out;
}

// Every other KeystoreWorker call, at the vectors' minimal Argon2id cost:
// recovery key, rotation, the retired seed's identity, items, rehash,
// slot removal, and the codes of failures inside the Worker.
async function workerCalls() {
  const policy = {
    floor: { memoryKib: 8, passes: 1 },
    defaults: { memoryKib: 16, passes: 1 },
    cap: { memoryKib: 64, passes: 2 },
  };
  const min = policy.floor;
  const out = {};
  const first = Identity.generate({ name: 'Pat Example', role: 'patient', now: 1700000000000 });
  const second = Identity.generate({ name: 'Pat Example', role: 'patient', now: 1700000001000 });
  const kw = await KeystoreWorker.create(first, { floor: min, name: 'v1', created: 1700000000000 });
  await kw.setPassphrase(enc('pass'), { params: min, policy });
  out.needsRehash = await kw.needsRehash(policy);
  await kw.rehash(enc('pass'), { policy });
  out.afterRehash = { needs: await kw.needsRehash(policy), params: kw.info.slots[0].params };
  const recovery = await kw.setRecoveryKey();
  out.recoveryLength = recovery.length;
  await kw.rotateIdentity(second, { name: 'v2', now: 1700000001000 });
  out.items = kw.items.map((i) => [i.type, i.name]);
  const seed = await kw.itemSecret(0);
  const firstSeed = first.exportSeed();
  out.itemSecretIsOldSeed = seed.every((b, i) => b === firstSeed[i]);
  seed.fill(0);
  firstSeed.fill(0);
  try {
    await kw.setPassphrase(enc('p'), { params: { memoryKib: 1024, passes: 3 }, policy });
  } catch (e) {
    out.tooLarge = errorOf(e);
  }
  try {
    await kw.removeSlot(7);
  } catch (e) {
    out.badIndex = errorOf(e);
  }
  const blob = await kw.serialize();
  kw.dispose();
  try {
    await kw.serialize();
  } catch (e) {
    out.afterDispose = errorOf(e);
  }
  const r = await KeystoreWorker.unlockWithRecoveryKey(blob, recovery);
  out.recoveryZeroed = recovery.every((b) => b === 0);
  const opts = { name: 'Pat Example', role: 'patient' };
  out.current = (await r.identity(opts)).keyId === second.keyId;
  out.retired = (await r.itemIdentity(0, opts)).keyId === first.keyId;
  r.dispose();
  try {
    await KeystoreWorker.unlockWithPassphrase(blob, enc('wrong'), { policy });
  } catch (e) {
    out.wrongPassphrase = errorOf(e);
  }
  try {
    await KeystoreWorker.unlockWithPassphrase(blob.subarray(0, 40), enc('pass'), { policy });
  } catch (e) {
    out.truncated = errorOf(e);
  }
  const future = blob.slice();
  future[4] = 2;
  try {
    await KeystoreWorker.unlockWithPassphrase(future, enc('pass'), { policy });
  } catch (e) {
    out.future = errorOf(e);
  }
  first.dispose();
  second.dispose();
  return out;
}

window.keystoreHarness = {
  ready: (async () => {
    await init();
    return { defaults: DEFAULT_KDF_POLICY.defaults };
  })(),
  passkeyFlow,
  workerCalls,
};
