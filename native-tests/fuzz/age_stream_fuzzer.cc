// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the streaming age decryptor (core/age/stream.h) and
// the STREAM payload decryptor (core/age/payload.h).
//
// For every input:
//  - AgeDecryptor with a fixed X25519 identity, a fixed post-quantum hybrid
//    (mlkem768x25519) identity and a fixed passphrase identity (work factor
//    at most 2^4, so scrypt stays fast) is fed the
//    input in pieces whose sizes come from a generator seeded by the input,
//    and again in one piece: both runs must give the same code and release
//    the same plaintext, plaintext_bytes() must count it, the buffer never
//    exceeds the header limit plus one sealed chunk, and the code is one a
//    decryptor documents (never INTERNAL or INVALID_ARGUMENT);
//  - a success must agree with the one-shot AgeDecrypt and with
//    AgeRandomAccess reading the whole plaintext, and any range of it;
//  - AgePayloadDecryptor with a fixed file key: the same split/whole
//    agreement, and a success re-encrypts (same nonce) to the input.
// Any violation aborts: that is a bug, not bad input.
//
// If MEDSEAL_FUZZ_SEED_DIR is set, LLVMFuzzerInitialize writes age files to
// the fixed identities (X25519, hybrid and passphrase; several sizes; binary
// and armored) and bare payloads under the fixed file key into that directory,
// so that the corpus reaches the payload (scripts/run-fuzzers.sh does this).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/age/armor.h"
#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/age/stream.h"
#include "core/base/random.h"

namespace {

using namespace medseal;

constexpr int kFuzzMaxLogN = 4;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "age_stream_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

struct Fixed {
  std::vector<AgeIdentity> identities;  // X25519, the hybrid, then the passphrase
  AgeRecipient x25519;
  AgeRecipient hybrid;
  AgeRecipient passphrase;
  SecretBytes file_key;
};

Fixed MakeFixed() {
  SecretBytes sk(32);
  for (size_t i = 0; i < 32; ++i) RevealMutableSecret(sk)[i] = static_cast<uint8_t>(0x42 + i);
  auto x = AgeIdentity::X25519(std::move(sk));
  auto p = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes("fuzz passphrase")), kFuzzMaxLogN);
  SecretBytes seed(32);
  for (size_t i = 0; i < 32; ++i) RevealMutableSecret(seed)[i] = static_cast<uint8_t>(0x90 + i);
  auto h = AgeIdentity::Hybrid(std::move(seed));
  if (!x.ok() || !h.ok() || !p.ok()) Bug("cannot make the fixed identities");
  auto xr = x->Recipient();
  auto hr = h->Recipient();
  auto pr = AgeRecipient::Scrypt(SecretBytes::CopyFrom(AsBytes("fuzz passphrase")), 2);
  if (!xr.ok() || !hr.ok() || !pr.ok()) Bug("cannot make the fixed recipients");
  SecretBytes key(kAgeFileKeySize);
  for (size_t i = 0; i < key.size(); ++i) RevealMutableSecret(key)[i] = static_cast<uint8_t>(i);
  std::vector<AgeIdentity> ids;
  ids.push_back(*x);
  ids.push_back(*h);
  ids.push_back(*p);
  return Fixed{std::move(ids), std::move(xr).value(), std::move(hr).value(), std::move(pr).value(),
               std::move(key)};
}

const Fixed& Get() {
  static const Fixed* f = new Fixed(MakeFixed());  // never destroyed
  return *f;
}

bool IsDecryptorCode(ErrorCode c) {
  switch (c) {
    case ErrorCode::kOk:
    case ErrorCode::kMalformed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kWeakKey:
    case ErrorCode::kNoMatchingRecipient:
    case ErrorCode::kUnsupportedRecipient:
    case ErrorCode::kHeaderMacMismatch:
    case ErrorCode::kDecryptFailed:
    case ErrorCode::kTrailingData: return true;
    default: return false;
  }
}

// Piece sizes from a small generator seeded by the input (xorshift).
class Splitter {
 public:
  Splitter(const uint8_t* data, size_t size) : state_(0x9E3779B97F4A7C15ULL ^ size) {
    for (size_t i = 0; i < size && i < 8; ++i) state_ = (state_ << 8 | data[i]) ^ (state_ >> 56);
    if (state_ == 0) state_ = 1;
  }
  size_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    switch (state_ % 4) {
      case 0: return 1 + state_ % 8;
      case 1: return 1 + state_ % 300;
      case 2: return kAgeSealedChunkSize - 2 + state_ % 5;
      default: return 1 + state_ % 100000;
    }
  }

 private:
  uint64_t state_;
};

struct Run {
  ErrorCode code = ErrorCode::kOk;
  Bytes out;
};

template <typename Decryptor>
Run Feed(Decryptor& dec, const uint8_t* data, size_t size, Splitter* split, size_t limit) {
  Run r;
  Status s;
  size_t off = 0;
  while (off < size && s.ok()) {
    const size_t n = split != nullptr ? std::min(split->Next(), size - off) : size - off;
    s = dec.Push(ByteView(data + off, n), r.out);
    if (dec.buffer_capacity() > limit) Bug("buffer above one sealed chunk (+ header)");
    off += n;
  }
  if (s.ok()) s = dec.Finish(r.out);
  if (dec.plaintext_bytes() != r.out.size()) Bug("plaintext_bytes() differs from the output");
  r.code = s.code();
  return r;
}

void CheckStream(const uint8_t* data, size_t size) {
  const Fixed& f = Get();
  const size_t limit = kAgeMaxHeaderBytes + 1 + kAgeSealedChunkSize;
  auto a = AgeDecryptor::Create(f.identities);
  auto b = AgeDecryptor::Create(f.identities);
  if (!a.ok() || !b.ok()) Bug("AgeDecryptor::Create failed");
  Splitter split(data, size);
  const Run pieces = Feed(*a, data, size, &split, limit);
  const Run whole = Feed(*b, data, size, nullptr, limit);
  if (!IsDecryptorCode(pieces.code)) Bug("AgeDecryptor returned an undocumented code");
  if (pieces.code != whole.code) Bug("split and whole input disagree on the code");
  if (pieces.out != whole.out) Bug("split and whole input release different plaintext");
  if (pieces.code != ErrorCode::kOk) return;

  auto one = AgeDecrypt(ByteView(data, size), f.identities);
  if (!LooksArmored(ByteView(data, size))) {
    if (!one.ok()) Bug("AgeDecrypt fails where AgeDecryptor succeeds");
    const ByteView p = RevealSecret(*one);
    if (!std::equal(p.begin(), p.end(), pieces.out.begin(), pieces.out.end())) {
      Bug("AgeDecrypt releases other plaintext");
    }
  }
  auto ra = AgeRandomAccess::Open(ByteView(data, size), size, f.identities);
  if (!ra.ok()) Bug("AgeRandomAccess::Open fails on a file that decrypts");
  if (ra->plaintext_size() != pieces.out.size()) Bug("random access: wrong plaintext size");
  const uint64_t n = ra->plaintext_size();
  const uint64_t offsets[][2] = {{0, n}, {n / 3, n - n / 3}, {n / 2, n / 4}, {n, 0}};
  for (const auto& [off, len] : offsets) {
    auto span = ra->Locate(off, len);
    if (!span.ok()) Bug("random access: Locate rejects a range inside the plaintext");
    if (span->offset + span->length > size) Bug("random access: span outside the file");
    auto got = ra->Read(off, len, ByteView(data + span->offset, static_cast<size_t>(span->length)));
    if (!got.ok()) Bug("random access: a chunk that decrypted streaming fails");
    const ByteView g = RevealSecret(*got);
    if (g.size() != len ||
        !std::equal(g.begin(), g.end(), pieces.out.begin() + static_cast<ptrdiff_t>(off))) {
      Bug("random access: other plaintext than the stream");
    }
  }
}

void CheckPayload(const uint8_t* data, size_t size) {
  const Fixed& f = Get();
  auto a = AgePayloadDecryptor::Create(f.file_key);
  auto b = AgePayloadDecryptor::Create(f.file_key);
  if (!a.ok() || !b.ok()) Bug("AgePayloadDecryptor::Create failed");
  Splitter split(data, size);
  const Run pieces = Feed(*a, data, size, &split, kAgeSealedChunkSize);
  const Run whole = Feed(*b, data, size, nullptr, kAgeSealedChunkSize);
  if (pieces.code != whole.code || pieces.out != whole.out) Bug("payload: split != whole");
  switch (pieces.code) {
    case ErrorCode::kOk:
    case ErrorCode::kTruncated:
    case ErrorCode::kDecryptFailed:
    case ErrorCode::kTrailingData:
    case ErrorCode::kMalformed: break;
    default: Bug("AgePayloadDecryptor returned an undocumented code");
  }
  if (pieces.code != ErrorCode::kOk) return;
  // A payload that opens is the one the encryptor writes for its nonce.
  auto enc = AgePayloadEncryptor::Create(f.file_key, ByteView(data, kAgePayloadNonceSize));
  if (!enc.ok()) Bug("AgePayloadEncryptor::Create failed");
  Bytes again;
  if (!enc->Push(pieces.out, again).ok() || !enc->Finish(again).ok()) Bug("re-encrypt failed");
  if (again.size() != size || std::memcmp(again.data(), data, size) != 0) {
    Bug("payload does not re-encrypt to the same bytes");
  }
}

void WriteSeed(const std::string& dir, const std::string& name, ByteView bytes) {
  const std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) Bug("cannot write a seed file");
  if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) Bug("short seed write");
  std::fclose(f);
}

void WriteSeeds(const std::string& dir) {
  const Fixed& f = Get();
  ChaChaRng rng(Bytes(ChaChaRng::kSeedSize, 0x5E));
  const size_t sizes[] = {0, 1, 100, kAgeChunkSize, kAgeChunkSize + 1};
  for (size_t size : sizes) {
    Bytes plain(size);
    for (size_t i = 0; i < size; ++i) plain[i] = static_cast<uint8_t>(i * 7);
    const std::string n = std::to_string(size);
    const AgeRecipient* const all[] = {&f.x25519, &f.hybrid, &f.passphrase};
    for (const AgeRecipient* r : all) {
      const std::vector<AgeRecipient> to = {*r};
      const std::string kind = r == &f.x25519 ? "x25519" : r == &f.hybrid ? "hybrid" : "scrypt";
      for (bool armor : {false, true}) {
        if (armor && size > 100) continue;
        auto file = AgeEncrypt(plain, to, rng, armor);
        if (!file.ok()) Bug("cannot encrypt a seed");
        WriteSeed(dir, "age-" + kind + "-" + n + (armor ? ".armored" : ".age"), *file);
      }
    }
    // The hybrid and the X25519 recipient together.
    if (size <= 100) {
      const std::vector<AgeRecipient> to = {f.hybrid, f.x25519};
      auto file = AgeEncrypt(plain, to, rng, false);
      if (!file.ok()) Bug("cannot encrypt a seed");
      WriteSeed(dir, "age-hybrid-x25519-" + n + ".age", *file);
    }
    Bytes nonce(kAgePayloadNonceSize);
    rng.Fill(nonce.data(), nonce.size());
    auto enc = AgePayloadEncryptor::Create(f.file_key, nonce);
    if (!enc.ok()) Bug("cannot make the payload encryptor");
    Bytes payload;
    if (!enc->Push(plain, payload).ok() || !enc->Finish(payload).ok()) Bug("seed payload");
    WriteSeed(dir, "age-payload-" + n + ".bin", payload);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const char* dir = std::getenv("MEDSEAL_FUZZ_SEED_DIR");
  if (dir != nullptr && *dir != '\0') WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckStream(data, size);
  CheckPayload(data, size);
  return 0;
}
