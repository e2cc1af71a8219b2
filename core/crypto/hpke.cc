// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/hpke.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

#include "core/crypto/aead.h"
#include "core/crypto/sha2.h"
#include "core/crypto/sha3.h"

namespace medseal {
namespace {

constexpr std::string_view kVersionLabel = "HPKE-v1";
constexpr uint8_t kModeBase = 0x00;
constexpr size_t kXWingEncapsRandomSize = kXWingEncapsSeedSize;  // Nrandom = 64

void AppendU16(Bytes& out, size_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}

// HMAC-SHA256 output moved into a SecretBytes (the Bytes copy is wiped).
SecretBytes TakeSecret(Bytes&& bytes) {
  SecretBytes out = SecretBytes::CopyFrom(bytes);
  SecureWipe(bytes);
  return out;
}

// HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm) (RFC 9180 §4).
SecretBytes LabeledExtract(ByteView salt, std::string_view label, ByteView ikm) {
  HmacSha256Stream mac(salt);
  mac.Update(AsBytes(kVersionLabel));
  mac.Update(HpkeSuiteId());
  mac.Update(AsBytes(label));
  mac.Update(ikm);
  return TakeSecret(mac.Final());
}

// HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)
// (RFC 5869 §2.3: T(i) = HMAC(prk, T(i-1) || info' || i)). L is 1..255*32.
SecretBytes LabeledExpand(ByteView prk, std::string_view label, ByteView info, size_t length) {
  Bytes labeled_info;
  AppendU16(labeled_info, length);
  labeled_info.insert(labeled_info.end(), kVersionLabel.begin(), kVersionLabel.end());
  const Bytes suite = HpkeSuiteId();
  labeled_info.insert(labeled_info.end(), suite.begin(), suite.end());
  labeled_info.insert(labeled_info.end(), label.begin(), label.end());
  labeled_info.insert(labeled_info.end(), info.begin(), info.end());

  SecretBytes out(length);
  uint8_t* p = RevealMutableSecret(out);
  Bytes block;
  size_t done = 0;
  for (uint8_t counter = 1; done < length; ++counter) {
    HmacSha256Stream mac(prk);
    mac.Update(block);
    mac.Update(labeled_info);
    mac.Update(ByteView(&counter, 1));
    SecureWipe(block);
    block = mac.Final();
    const size_t n = std::min(block.size(), length - done);
    std::memcpy(p + done, block.data(), n);
    done += n;
  }
  SecureWipe(block);
  return out;
}

Result<HpkeSender> SenderFrom(Result<XWingEncapsulation> encapsulated, ByteView info) {
  MEDSEAL_ASSIGN_OR_RETURN(XWingEncapsulation e, std::move(encapsulated));
  MEDSEAL_ASSIGN_OR_RETURN(HpkeContext context,
                           HpkeContext::FromSharedSecret(RevealSecret(e.shared_secret), info));
  return HpkeSender{std::move(e.ciphertext), std::move(context)};
}

}  // namespace

Bytes HpkeSuiteId() {
  Bytes id = ToBytes("HPKE");
  AppendU16(id, kHpkeKemMlkem768X25519);
  AppendU16(id, kHpkeKdfHkdfSha256);
  AppendU16(id, kHpkeAeadChaCha20Poly1305);
  return id;
}

SecretBytes HpkeDeriveXWingSeed(ByteView ikm) {
  constexpr std::string_view kLabel = "DeriveKeyPair";
  SecretBytes input(ikm.size() + kVersionLabel.size() + 5 + 2 + kLabel.size() + 2);
  uint8_t* p = RevealMutableSecret(input);
  Bytes tail = ToBytes(kVersionLabel);
  tail.insert(tail.end(), {'K', 'E', 'M'});
  AppendU16(tail, kHpkeKemMlkem768X25519);
  AppendU16(tail, kLabel.size());
  tail.insert(tail.end(), kLabel.begin(), kLabel.end());
  AppendU16(tail, kXWingSeedSize);  // then the empty context
  if (!ikm.empty()) std::memcpy(p, ikm.data(), ikm.size());
  std::memcpy(p + ikm.size(), tail.data(), tail.size());
  return Shake256Secret(RevealSecret(input), kXWingSeedSize);
}

// --- HpkeContext ------------------------------------------------------------------

Result<HpkeContext> HpkeContext::FromSharedSecret(ByteView shared_secret, ByteView info) {
  if (shared_secret.size() != kXWingSharedSecretSize) {
    return Error(ErrorCode::kInvalidArgument, "hpke: shared secret is not 32 bytes");
  }
  const SecretBytes psk_id_hash = LabeledExtract({}, "psk_id_hash", {});
  const SecretBytes info_hash = LabeledExtract({}, "info_hash", info);
  Bytes context;
  context.push_back(kModeBase);
  const ByteView a = RevealSecret(psk_id_hash);
  const ByteView b = RevealSecret(info_hash);
  context.insert(context.end(), a.begin(), a.end());
  context.insert(context.end(), b.begin(), b.end());
  const SecretBytes secret = LabeledExtract(shared_secret, "secret", {});
  HpkeContext c;
  c.key_ = LabeledExpand(RevealSecret(secret), "key", context, kHpkeKeySize);
  const SecretBytes nonce = LabeledExpand(RevealSecret(secret), "base_nonce", context,
                                          kHpkeNonceSize);
  c.base_nonce_.assign(RevealSecret(nonce).begin(), RevealSecret(nonce).end());
  c.exporter_secret_ = LabeledExpand(RevealSecret(secret), "exp", context, kHpkeExporterSecretSize);
  return c;
}

Bytes HpkeContext::CurrentNonce() const {
  Bytes nonce = base_nonce_;
  for (size_t i = 0; i < sizeof(uint64_t); ++i) {
    nonce[kHpkeNonceSize - 1 - i] ^= static_cast<uint8_t>(sequence_ >> (8 * i));
  }
  return nonce;
}

Result<Bytes> HpkeContext::Seal(ByteView aad, ByteView plaintext) {
  if (sequence_ == std::numeric_limits<uint64_t>::max()) {
    return Error(ErrorCode::kTooLarge, "hpke: message limit reached");
  }
  MEDSEAL_ASSIGN_OR_RETURN(
      Bytes ct, ChaCha20Poly1305Seal(RevealSecret(key_), CurrentNonce(), aad, plaintext));
  ++sequence_;
  return ct;
}

Result<SecretBytes> HpkeContext::Open(ByteView aad, ByteView ciphertext) {
  if (sequence_ == std::numeric_limits<uint64_t>::max()) {
    return Error(ErrorCode::kTooLarge, "hpke: message limit reached");
  }
  Result<Bytes> pt = ChaCha20Poly1305Open(RevealSecret(key_), CurrentNonce(), aad, ciphertext);
  if (!pt.ok()) return Error(ErrorCode::kDecryptFailed, "hpke: the ciphertext does not open");
  ++sequence_;
  return TakeSecret(std::move(pt).value());
}

Result<SecretBytes> HpkeContext::Export(ByteView exporter_context, size_t length) const {
  if (length == 0 || length > kHpkeMaxExportSize) {
    return Error(ErrorCode::kInvalidArgument, "hpke: export length outside 1..8160");
  }
  return LabeledExpand(RevealSecret(exporter_secret_), "sec", exporter_context, length);
}

// --- Setup, single-shot ------------------------------------------------------------

Result<HpkeSender> HpkeSetupBaseS(ByteView public_key, ByteView info, Rng& rng) {
  MEDSEAL_RETURN_IF_ERROR(CheckXWingPublicKey(public_key));
  const SecretBytes eseed = rng.Secret(kXWingEncapsRandomSize);
  return SenderFrom(XWingEncapsulateDerand(public_key, RevealSecret(eseed)), info);
}

Result<HpkeSender> HpkeSetupBaseSDerand(ByteView public_key, ByteView info, ByteView eseed) {
  return SenderFrom(XWingEncapsulateDerand(public_key, eseed), info);
}

Result<HpkeContext> HpkeSetupBaseR(ByteView enc, const XWingPrivateKey& private_key,
                                   ByteView info) {
  if (enc.size() != kHpkeEncSize) {
    return Error(ErrorCode::kInvalidArgument, "hpke: enc is not 1120 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, private_key.Decapsulate(enc));
  return HpkeContext::FromSharedSecret(RevealSecret(shared), info);
}

Result<HpkeSealed> HpkeSealBase(ByteView public_key, ByteView info, ByteView aad,
                                ByteView plaintext, Rng& rng) {
  MEDSEAL_ASSIGN_OR_RETURN(HpkeSender sender, HpkeSetupBaseS(public_key, info, rng));
  MEDSEAL_ASSIGN_OR_RETURN(Bytes ct, sender.context.Seal(aad, plaintext));
  return HpkeSealed{std::move(sender.enc), std::move(ct)};
}

Result<SecretBytes> HpkeOpenBase(ByteView enc, const XWingPrivateKey& private_key, ByteView info,
                                 ByteView aad, ByteView ciphertext) {
  MEDSEAL_ASSIGN_OR_RETURN(HpkeContext context, HpkeSetupBaseR(enc, private_key, info));
  return context.Open(aad, ciphertext);
}

}  // namespace medseal
