// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the post-quantum entry points that take untrusted
// bytes (core/crypto/mlkem.h, mldsa.h, xwing.h): an ML-KEM-768 or X-Wing
// public key from a card, a ciphertext from a record stanza or an age
// header, an ML-DSA-44 signature (whose hint encoding is parsed) or key.
//
// The first input byte picks the entry point, the rest is its input, with
// fixed keys (derived once from fixed seeds) for the other arguments:
//   0  CheckMlKem768PublicKey / MlKem768EncapsulateDerand (the same verdict;
//      an accepted key encapsulates to a 1088-byte ciphertext);
//   1  MlKem768Decapsulate with a fixed dk: 1088 bytes always give a 32-byte
//      secret (implicit rejection), other sizes kInvalidArgument;
//   2  MlKem768Decapsulate with the input as dk: kInvalidArgument,
//      kInvalidKey, or a secret when CheckMlKem768SecretKey accepts;
//   3  MlDsa44Verify of the input as a signature (and as a public key) of a
//      fixed message: kSignatureInvalid or kInvalidArgument, never OK
//      unless it is the one signature made here;
//   4  CheckXWingPublicKey / XWingEncapsulateDerand, and Decapsulate with a
//      fixed key (kInvalidArgument, kWeakKey or a secret);
//   5  MlDsa44SignDeterministic with the input as sk: kInvalidArgument,
//      kInvalidKey or a 2420-byte signature.
// Any other outcome aborts.
//
// If MEDSEAL_FUZZ_SEED_DIR is set, LLVMFuzzerInitialize writes one valid
// input per entry point there (the selector byte, then the fixed ek, a
// ciphertext, the dk, the signature, the X-Wing key and ciphertext, the
// ML-DSA sk), so that the corpus starts past the size checks
// (scripts/run-fuzzers.sh does this).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/crypto/mldsa.h"
#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "pq_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

struct Keys {
  MlKem768KeyPair kem;
  MlDsa44KeyPair dsa;
  XWingPrivateKey xwing;
  Bytes signature;  // of kMessage under dsa, empty context
};

const Bytes kMessage = {'m', 'e', 'd', 's', 'e', 'a', 'l'};

const Keys& TheKeys() {
  static const Keys* keys = [] {
    Result<MlKem768KeyPair> kem = MlKem768KeyPairFromSeed(Bytes(kMlKem768SeedSize, 0x11));
    Result<MlDsa44KeyPair> dsa = MlDsa44KeyPairFromSeed(Bytes(kMlDsa44SeedSize, 0x22));
    Result<XWingPrivateKey> xwing = XWingPrivateKey::FromSeed(Bytes(kXWingSeedSize, 0x33));
    if (!kem.ok() || !dsa.ok() || !xwing.ok()) Bug("fixed keys");
    Result<Bytes> sig = MlDsa44SignDeterministic(RevealSecret(dsa->secret_key), kMessage, {});
    if (!sig.ok()) Bug("fixed signature");
    return new Keys{std::move(*kem), std::move(*dsa), std::move(*xwing), std::move(*sig)};
  }();
  return *keys;
}

bool IsKeyError(ErrorCode code) {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kInvalidKey;
}

void MlKemPublicKey(ByteView in) {
  const Status check = CheckMlKem768PublicKey(in);
  Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(in, Bytes(32, 0x44));
  if (check.ok() != enc.ok()) Bug("ML-KEM check and encapsulation disagree");
  if (!check.ok()) {
    if (!IsKeyError(check.code()) || enc.status().code() != check.code()) Bug("ML-KEM ek code");
    if (in.size() == kMlKem768PublicKeySize && check.code() != ErrorCode::kInvalidKey) {
      Bug("ML-KEM ek of the right size refused for its size");
    }
    return;
  }
  if (enc->ciphertext.size() != kMlKem768CiphertextSize || enc->shared_secret.size() != 32) {
    Bug("ML-KEM encapsulation sizes");
  }
}

void MlKemCiphertext(ByteView in) {
  Result<SecretBytes> k = MlKem768Decapsulate(RevealSecret(TheKeys().kem.secret_key), in);
  if (in.size() == kMlKem768CiphertextSize) {
    if (!k.ok() || k->size() != kMlKem768SharedSecretSize) Bug("ML-KEM implicit rejection");
  } else if (k.ok() || k.status().code() != ErrorCode::kInvalidArgument) {
    Bug("ML-KEM ciphertext size");
  }
}

void MlKemSecretKey(ByteView in) {
  const Status check = CheckMlKem768SecretKey(in);
  Result<SecretBytes> k = MlKem768Decapsulate(in, Bytes(kMlKem768CiphertextSize, 0x55));
  if (check.ok() != k.ok()) Bug("ML-KEM dk check and decapsulation disagree");
  if (!check.ok() && (!IsKeyError(check.code()) || k.status().code() != check.code())) {
    Bug("ML-KEM dk code");
  }
}

void MlDsaSignature(ByteView in) {
  const Keys& keys = TheKeys();
  const Status s = MlDsa44Verify(keys.dsa.public_key, kMessage, {}, in);
  const bool is_the_signature = in.size() == keys.signature.size() &&
                                std::equal(in.begin(), in.end(), keys.signature.begin());
  if (s.ok() != is_the_signature) Bug("ML-DSA verify accepted another signature, or refused ours");
  if (!s.ok() && s.code() != ErrorCode::kSignatureInvalid) Bug("ML-DSA signature code");
  const Status as_key = MlDsa44Verify(in, kMessage, {}, keys.signature);
  if (as_key.ok() &&
      !std::equal(in.begin(), in.end(), keys.dsa.public_key.begin(), keys.dsa.public_key.end())) {
    Bug("ML-DSA signature verified under another public key");
  }
  if (!as_key.ok() && as_key.code() != ErrorCode::kSignatureInvalid &&
      as_key.code() != ErrorCode::kInvalidArgument) {
    Bug("ML-DSA public key code");
  }
}

void XWing(ByteView in) {
  const Status check = CheckXWingPublicKey(in);
  Result<XWingEncapsulation> enc = XWingEncapsulateDerand(in, Bytes(64, 0x66));
  if (check.ok() != enc.ok()) Bug("X-Wing check and encapsulation disagree");
  if (!check.ok() && !IsKeyError(check.code()) && check.code() != ErrorCode::kWeakKey) {
    Bug("X-Wing pk code");
  }
  Result<SecretBytes> ss = TheKeys().xwing.Decapsulate(in);
  if (ss.ok()) {
    if (in.size() != kXWingCiphertextSize || ss->size() != kXWingSharedSecretSize) {
      Bug("X-Wing decapsulation sizes");
    }
  } else if (ss.status().code() != ErrorCode::kInvalidArgument &&
             ss.status().code() != ErrorCode::kWeakKey) {
    Bug("X-Wing ciphertext code");
  }
}

void MlDsaSecretKey(ByteView in) {
  Result<Bytes> sig = MlDsa44SignDeterministic(in, kMessage, {});
  const Status check = CheckMlDsa44SecretKey(in);
  if (check.ok() != sig.ok()) Bug("ML-DSA sk check and signing disagree");
  if (!sig.ok() && (!IsKeyError(check.code()) || sig.status().code() != check.code())) {
    Bug("ML-DSA sk code");
  }
  if (sig.ok() && sig->size() != kMlDsa44SignatureSize) Bug("ML-DSA signature size");
}

void WriteSeed(const std::string& dir, int selector, ByteView bytes) {
  const std::string path = dir + "/pq-" + std::to_string(selector);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) Bug("cannot write a seed file");
  const uint8_t sel = static_cast<uint8_t>(selector);
  if (std::fwrite(&sel, 1, 1, f) != 1 ||
      std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    Bug("short seed write");
  }
  std::fclose(f);
}

void WriteSeeds(const std::string& dir) {
  const Keys& k = TheKeys();
  Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(k.kem.public_key, Bytes(32, 1));
  Result<XWingEncapsulation> xenc = XWingEncapsulateDerand(k.xwing.public_key(), Bytes(64, 2));
  if (!enc.ok() || !xenc.ok()) Bug("seed encapsulations");
  WriteSeed(dir, 0, k.kem.public_key);
  WriteSeed(dir, 1, enc->ciphertext);
  WriteSeed(dir, 2, RevealSecret(k.kem.secret_key));
  WriteSeed(dir, 3, k.signature);
  WriteSeed(dir, 4, xenc->ciphertext);
  WriteSeed(dir, 10, k.xwing.public_key());  // 10 % 6 = 4
  WriteSeed(dir, 5, RevealSecret(k.dsa.secret_key));
  WriteSeed(dir, 9, k.dsa.public_key);  // 9 % 6 = 3: verified as a public key
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const char* dir = std::getenv("MEDSEAL_FUZZ_SEED_DIR");
  if (dir != nullptr && *dir != '\0') WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: MlKemPublicKey(in); break;
    case 1: MlKemCiphertext(in); break;
    case 2: MlKemSecretKey(in); break;
    case 3: MlDsaSignature(in); break;
    case 4: XWing(in); break;
    default: MlDsaSecretKey(in); break;
  }
  return 0;
}
