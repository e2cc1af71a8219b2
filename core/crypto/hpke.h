// SPDX-License-Identifier: Apache-2.0
// HPKE (RFC 9180) in base mode (mode_base = 0x00, no PSK, no sender key)
// for the one suite age's post-quantum recipient uses (C2SP age,
// "mlkem768x25519"):
//   KEM   MLKEM768-X25519 (id 0x647a, draft-ietf-hpke-pq) = X-Wing
//         (core/crypto/xwing.h): enc = the 1120-byte X-Wing ciphertext,
//         shared_secret = the X-Wing shared secret (used as it is: a hybrid
//         KEM has no ExtractAndExpand step)
//   KDF   HKDF-SHA256 (id 0x0001)
//   AEAD  ChaCha20Poly1305 (id 0x0003, RFC 8439: Nk = 32, Nn = 12, Nt = 16)
// suite_id = "HPKE" || I2OSP(0x647a, 2) || I2OSP(0x0001, 2) || I2OSP(0x0003, 2)
// LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm)
// LabeledExpand(prk, label, info, L) =
//     HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)
// KeySchedule (RFC 9180 §5.1, psk = psk_id = ""):
//   psk_id_hash = LabeledExtract("", "psk_id_hash", "")
//   info_hash   = LabeledExtract("", "info_hash", info)
//   context     = 0x00 || psk_id_hash || info_hash
//   secret      = LabeledExtract(shared_secret, "secret", "")
//   key             = LabeledExpand(secret, "key", context, 32)
//   base_nonce      = LabeledExpand(secret, "base_nonce", context, 12)
//   exporter_secret = LabeledExpand(secret, "exp", context, 32)
// Message i (0-based) uses nonce = base_nonce XOR I2OSP(i, 12);
// Export(ctx, L) = LabeledExpand(exporter_secret, "sec", ctx, L).
// Tested against every field of the hpke-pq 0x647a/HKDF-SHA256/
// ChaCha20Poly1305 vector (native-tests/crypto/hpke_test.cc).
#ifndef MEDSEAL_CORE_CRYPTO_HPKE_H_
#define MEDSEAL_CORE_CRYPTO_HPKE_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/crypto/xwing.h"

namespace medseal {

inline constexpr uint16_t kHpkeKemMlkem768X25519 = 0x647a;
inline constexpr uint16_t kHpkeKdfHkdfSha256 = 0x0001;
inline constexpr uint16_t kHpkeAeadChaCha20Poly1305 = 0x0003;
inline constexpr size_t kHpkeEncSize = kXWingCiphertextSize;  // 1120
inline constexpr size_t kHpkeKeySize = 32;                    // Nk
inline constexpr size_t kHpkeNonceSize = 12;                  // Nn
inline constexpr size_t kHpkeTagSize = 16;                    // Nt
inline constexpr size_t kHpkeExporterSecretSize = 32;         // Nh
// RFC 9180 §5.3: L <= 255 * Nh.
inline constexpr size_t kHpkeMaxExportSize = size_t{255} * 32;

// "HPKE" || kem_id || kdf_id || aead_id (10 bytes).
Bytes HpkeSuiteId();

// DeriveKeyPair(ikm) of MLKEM768-X25519 (draft-ietf-hpke-pq; filippo.io/hpke-pq):
// the 32-byte X-Wing seed SHAKE256(ikm || "HPKE-v1" || "KEM" || I2OSP(0x647a, 2)
// || I2OSP(13, 2) || "DeriveKeyPair" || I2OSP(32, 2), 32). Any ikm length.
SecretBytes HpkeDeriveXWingSeed(ByteView ikm);

// An encryption context after SetupBase{S,R}: the key schedule's outputs
// and the sequence number. Move-only. Seal and Open advance the sequence
// only when they succeed (RFC 9180 §5.2).
class HpkeContext {
 public:
  // KeySchedule(mode_base, shared_secret, info). kInvalidArgument unless
  // shared_secret is 32 bytes.
  static Result<HpkeContext> FromSharedSecret(ByteView shared_secret, ByteView info);

  HpkeContext(const HpkeContext&) = delete;
  HpkeContext& operator=(const HpkeContext&) = delete;
  HpkeContext(HpkeContext&&) noexcept = default;
  HpkeContext& operator=(HpkeContext&&) noexcept = default;
  ~HpkeContext() = default;

  const SecretBytes& key() const { return key_; }
  const Bytes& base_nonce() const { return base_nonce_; }
  const SecretBytes& exporter_secret() const { return exporter_secret_; }
  uint64_t sequence() const { return sequence_; }
  // base_nonce XOR I2OSP(sequence(), 12).
  Bytes CurrentNonce() const;

  // ContextS.Seal: ciphertext || tag. kTooLarge once the sequence number
  // would overflow (2^64 - 1 messages; RFC 9180's bound is 2^96 - 1).
  Result<Bytes> Seal(ByteView aad, ByteView plaintext);
  // ContextR.Open: kDecryptFailed if the AEAD does not authenticate.
  Result<SecretBytes> Open(ByteView aad, ByteView ciphertext);
  // Context.Export: kInvalidArgument unless 1 <= length <= kHpkeMaxExportSize.
  Result<SecretBytes> Export(ByteView exporter_context, size_t length) const;

 private:
  HpkeContext() = default;
  SecretBytes key_;
  Bytes base_nonce_;
  SecretBytes exporter_secret_;
  uint64_t sequence_ = 0;
};

struct HpkeSender {
  Bytes enc;  // kHpkeEncSize bytes
  HpkeContext context;
};

// SetupBaseS(pkR, info) with 64 bytes of encapsulation randomness from rng
// (X-Wing's Encaps). pkR is checked as CheckXWingPublicKey does
// (kInvalidArgument, kInvalidKey, kWeakKey).
Result<HpkeSender> HpkeSetupBaseS(ByteView public_key, ByteView info, Rng& rng);
// The same with the 64 random bytes given (X-Wing's EncapsDerand; the
// vectors' ikmE): kInvalidArgument unless 64 bytes.
Result<HpkeSender> HpkeSetupBaseSDerand(ByteView public_key, ByteView info, ByteView eseed);
// SetupBaseR(enc, skR, info): kInvalidArgument unless enc is 1120 bytes;
// kWeakKey if its X25519 part gives an all-zero X25519 output.
Result<HpkeContext> HpkeSetupBaseR(ByteView enc, const XWingPrivateKey& private_key, ByteView info);

// Single-shot SealBase / OpenBase (RFC 9180 §6.1): one message at sequence 0.
struct HpkeSealed {
  Bytes enc;         // kHpkeEncSize bytes
  Bytes ciphertext;  // plaintext.size() + kHpkeTagSize bytes
};
Result<HpkeSealed> HpkeSealBase(ByteView public_key, ByteView info, ByteView aad,
                                ByteView plaintext, Rng& rng);
// Errors as HpkeSetupBaseR, then kDecryptFailed.
Result<SecretBytes> HpkeOpenBase(ByteView enc, const XWingPrivateKey& private_key, ByteView info,
                                 ByteView aad, ByteView ciphertext);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_HPKE_H_
