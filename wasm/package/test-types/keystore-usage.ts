// SPDX-License-Identifier: Apache-2.0
// Compile-only check of the keystore API's published types (dist/*.d.ts):
// `npm run typecheck`. Lines marked with an expect-error directive must
// stay errors: passphrases and PRF outputs are Uint8Array, never strings.
import {
  DEFAULT_KDF_POLICY,
  Identity,
  Keystore,
  KeystoreSlotKind,
  KeystoreWorker,
  diagnoseRecoveryKey,
  inspectKeystore,
  keystoreNeedsRehash,
  recoveryGroupValid,
  type KdfPolicy,
  type KeystoreInfo,
  type PasskeyFactor,
  type RecoveryKeyDiagnosis,
} from '../dist/index.js';

export async function keystoreUsage(
  blob: Uint8Array,
  passphrase: Uint8Array,
  prf: Uint8Array,
): Promise<string> {
  const info: KeystoreInfo = inspectKeystore(blob);
  const slot = info.slots.find((s) => s.kind === KeystoreSlotKind.PASSPHRASE_PASSKEY);
  const passkey: PasskeyFactor = { credentialId: slot?.credentialId ?? new Uint8Array(1), prf };
  const policy: KdfPolicy = DEFAULT_KDF_POLICY;
  const stale: boolean = keystoreNeedsRehash(blob, policy);
  const ks = Keystore.unlockWithPassphraseAndPasskey(blob, passphrase, passkey, { policy });
  const id: Identity = ks.identity({ name: 'Pat', role: 'patient' });
  const recovery: Uint8Array = ks.setRecoveryKey();
  const d: RecoveryKeyDiagnosis = diagnoseRecoveryKey(recovery);
  const ok: boolean = recoveryGroupValid(recovery.subarray(0, 8), 0);
  const out: Uint8Array = ks.serialize();
  ks.dispose();
  const kw: KeystoreWorker = await KeystoreWorker.unlockWithPassphrase(out, passphrase);
  const again: Identity = await kw.identity({ name: 'Pat', role: 'patient' });
  const next: Uint8Array = await kw.serialize();
  kw.dispose();
  // @ts-expect-error a passphrase is never a string
  Keystore.unlockWithPassphrase(blob, 'correct horse');
  // @ts-expect-error a PRF output is bytes
  Keystore.unlockWithPasskey(blob, { credentialId: new Uint8Array(1), prf: 'x' });
  return `${stale} ${id.keyId} ${again.keyId} ${d.code} ${ok} ${next.length}`;
}
