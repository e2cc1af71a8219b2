// SPDX-License-Identifier: Apache-2.0
// The age STREAM payload (core/age/payload.h): the encryptor against an
// independent construction (HKDF + libsodium per chunk, written out here),
// round trips in every split size, the last-chunk rules, and every failure
// (truncated, reordered, tampered, wrong key, trailing data, flipped last
// flag) with its code and with no plaintext of the bad chunk released.
#include "core/age/payload.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/age/header.h"
#include "core/crypto/sha2.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using ::medseal::testing::CodeOf;

constexpr size_t kC = kAgeChunkSize;

SecretBytes TestFileKey(uint8_t seed = 1) {
  SecretBytes key(kAgeFileKeySize);
  for (size_t i = 0; i < kAgeFileKeySize; ++i) {
    RevealMutableSecret(key)[i] = static_cast<uint8_t>(seed * 31 + i);
  }
  return key;
}

Bytes TestNonce() {
  Bytes nonce(kAgePayloadNonceSize);
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<uint8_t>(0xA0 + i);
  return nonce;
}

Bytes Plaintext(size_t size) {
  Bytes p(size);
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<uint8_t>((i * 131 + (i >> 16)) & 0xFF);
  return p;
}

// The payload written out independently of payload.cc: the spec's
// construction with explicit (plaintext, last flag) chunks.
Bytes SealByHand(const SecretBytes& file_key, ByteView nonce,
                 const std::vector<std::pair<Bytes, bool>>& chunks) {
  auto key = HkdfSha256(nonce, RevealSecret(file_key), AsBytes("payload"), 32);
  EXPECT_TRUE(key.ok());
  Bytes out(nonce.begin(), nonce.end());
  uint64_t counter = 0;
  for (const auto& [plain, last] : chunks) {
    std::array<uint8_t, 12> n{};
    for (int i = 0; i < 8; ++i) n[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
    n[11] = last ? 1 : 0;
    Bytes sealed(plain.size() + kAgeTagSize);
    crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), nullptr, plain.data(), plain.size(),
                                              nullptr, 0, nullptr, n.data(),
                                              RevealSecret(*key).data());
    out.insert(out.end(), sealed.begin(), sealed.end());
    ++counter;
  }
  return out;
}

std::vector<std::pair<Bytes, bool>> SpecChunks(ByteView plain) {
  std::vector<std::pair<Bytes, bool>> chunks;
  size_t off = 0;
  do {
    const size_t n = std::min(kC, plain.size() - off);
    chunks.emplace_back(Bytes(plain.begin() + off, plain.begin() + off + n), false);
    off += n;
  } while (off < plain.size());
  chunks.back().second = true;
  return chunks;
}

Bytes EncryptInPieces(ByteView plain, size_t piece) {
  auto enc = AgePayloadEncryptor::Create(TestFileKey(), TestNonce());
  EXPECT_TRUE(enc.ok());
  Bytes out;
  for (size_t off = 0; off < plain.size(); off += piece) {
    EXPECT_TRUE(enc->Push(plain.subspan(off, std::min(piece, plain.size() - off)), out).ok());
    EXPECT_LE(enc->buffered(), kC);
    EXPECT_EQ(enc->buffer_capacity(), kC);
  }
  EXPECT_TRUE(enc->Finish(out).ok());
  EXPECT_EQ(enc->buffer_capacity(), 0U);
  return out;
}

struct Decrypted {
  Status status;  // the first error (Push or Finish), or Ok
  Bytes plaintext;
  size_t max_capacity = 0;
};

Decrypted DecryptInPieces(ByteView file, size_t piece, const SecretBytes& key) {
  Decrypted d;
  auto dec = AgePayloadDecryptor::Create(key);
  EXPECT_TRUE(dec.ok());
  for (size_t off = 0; off < file.size() && d.status.ok(); off += piece) {
    d.status = dec->Push(file.subspan(off, std::min(piece, file.size() - off)), d.plaintext);
    d.max_capacity = std::max(d.max_capacity, dec->buffer_capacity());
  }
  if (d.status.ok()) d.status = dec->Finish(d.plaintext);
  EXPECT_EQ(dec->plaintext_bytes(), d.plaintext.size());
  return d;
}

Decrypted DecryptInPieces(ByteView file, size_t piece) {
  return DecryptInPieces(file, piece, TestFileKey());
}

const std::vector<size_t> kSizes = {0, 1, kC - 1, kC, kC + 1, 3 * kC};
const std::vector<size_t> kPieces = {1, 15, 16, 17, 4096, kC - 1, kC, kC + 16, kC + 17, 1 << 20};

TEST(AgePayload, EncryptorMatchesTheSpecConstructionInEverySplit) {
  for (size_t size : kSizes) {
    const Bytes plain = Plaintext(size);
    const Bytes expected = SealByHand(TestFileKey(), TestNonce(), SpecChunks(plain));
    const size_t chunks = size == 0 ? 1 : (size + kC - 1) / kC;
    EXPECT_EQ(expected.size(), kAgePayloadNonceSize + size + chunks * kAgeTagSize);
    for (size_t piece : kPieces) {
      if (piece == 1 && size > 2 * kC) continue;  // covered by the 64 KiB + 1 case
      EXPECT_EQ(EncryptInPieces(plain, piece), expected) << size << " in pieces of " << piece;
    }
  }
}

TEST(AgePayload, RoundTripInEverySplitSize) {
  for (size_t size : kSizes) {
    const Bytes plain = Plaintext(size);
    const Bytes file = EncryptInPieces(plain, 1 << 20);
    for (size_t piece : kPieces) {
      const Decrypted d = DecryptInPieces(file, piece);
      ASSERT_TRUE(d.status.ok()) << size << "/" << piece << ": " << d.status.ToString();
      EXPECT_EQ(d.plaintext, plain) << size << "/" << piece;
      EXPECT_LE(d.max_capacity, kAgeSealedChunkSize);
    }
  }
}

TEST(AgePayload, FullSizeLastChunkIsValid) {
  const Bytes plain = Plaintext(2 * kC);
  const Bytes file = SealByHand(TestFileKey(), TestNonce(), SpecChunks(plain));
  EXPECT_EQ(file.size(), kAgePayloadNonceSize + 2 * kAgeSealedChunkSize);
  for (size_t piece : {size_t{1000}, kAgeSealedChunkSize, file.size()}) {
    const Decrypted d = DecryptInPieces(file, piece);
    EXPECT_OK(d.status);
    EXPECT_EQ(d.plaintext, plain);
  }
}

TEST(AgePayload, EmptyPayloadIsOneEmptyLastChunk) {
  const Bytes file = EncryptInPieces({}, 1);
  EXPECT_EQ(file.size(), kAgePayloadNonceSize + kAgeTagSize);
  const Decrypted d = DecryptInPieces(file, 1);
  EXPECT_OK(d.status);
  EXPECT_TRUE(d.plaintext.empty());
}

TEST(AgePayload, EmptyLastChunkAfterAFullOneIsMalformed) {
  const Bytes first = Plaintext(kC);
  const Bytes file = SealByHand(TestFileKey(), TestNonce(), {{first, false}, {Bytes(), true}});
  for (size_t piece : {size_t{1}, size_t{4096}, file.size()}) {
    const Decrypted d = DecryptInPieces(file, piece);
    EXPECT_CODE(d.status, ErrorCode::kMalformed);
    EXPECT_EQ(d.plaintext, first);  // the first chunk authenticated; nothing else
  }
}

TEST(AgePayload, TruncatedAtAChunkBoundaryIsTruncated) {
  const Bytes plain = Plaintext(3 * kC);
  const Bytes file = EncryptInPieces(plain, 1 << 20);
  // Drop the last (full) chunk: two full non-last chunks remain.
  const ByteView cut = ByteView(file).first(kAgePayloadNonceSize + 2 * kAgeSealedChunkSize);
  for (size_t piece : {size_t{7}, kAgeSealedChunkSize, cut.size()}) {
    const Decrypted d = DecryptInPieces(cut, piece);
    EXPECT_CODE(d.status, ErrorCode::kTruncated);
    EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + 2 * kC));
  }
}

TEST(AgePayload, TruncatedInsideTheNonceOrTagIsTruncated) {
  const Bytes file = EncryptInPieces(Plaintext(100), 1 << 20);
  for (size_t keep : {size_t{0}, size_t{1}, kAgePayloadNonceSize - 1, kAgePayloadNonceSize,
                      kAgePayloadNonceSize + 1, kAgePayloadNonceSize + kAgeTagSize - 1}) {
    const Decrypted d = DecryptInPieces(ByteView(file).first(keep), 3);
    EXPECT_CODE(d.status, ErrorCode::kTruncated) << keep;
    EXPECT_TRUE(d.plaintext.empty());
  }
}

TEST(AgePayload, TruncatedInsideAChunkFailsToAuthenticate) {
  const Bytes plain = Plaintext(2 * kC + 10);
  const Bytes file = EncryptInPieces(plain, 1 << 20);
  const ByteView cut = ByteView(file).first(file.size() - 1);
  const Decrypted d = DecryptInPieces(cut, 5000);
  EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
  EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + 2 * kC));
}

TEST(AgePayload, ReorderedChunksFail) {
  const Bytes plain = Plaintext(3 * kC);
  Bytes file = EncryptInPieces(plain, 1 << 20);
  // Swap chunks 0 and 1.
  auto c0 = file.begin() + kAgePayloadNonceSize;
  std::swap_ranges(c0, c0 + kAgeSealedChunkSize, c0 + kAgeSealedChunkSize);
  const Decrypted d = DecryptInPieces(file, 1000);
  EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
  EXPECT_TRUE(d.plaintext.empty());
}

TEST(AgePayload, TamperedChunkReleasesOnlyTheChunksBeforeIt) {
  const Bytes plain = Plaintext(3 * kC);
  for (size_t bad_chunk = 0; bad_chunk < 3; ++bad_chunk) {
    for (size_t where : {size_t{0}, kC / 2, kAgeSealedChunkSize - 1}) {  // body and tag
      Bytes file = EncryptInPieces(plain, 1 << 20);
      file[kAgePayloadNonceSize + bad_chunk * kAgeSealedChunkSize + where] ^= 0x01;
      for (size_t piece : {size_t{1}, size_t{65000}, file.size()}) {
        if (piece == 1 && where != 0) continue;
        const Decrypted d = DecryptInPieces(file, piece);
        EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
        EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + bad_chunk * kC))
            << bad_chunk << "/" << where << "/" << piece;
      }
    }
  }
}

TEST(AgePayload, TamperedNonceOrWrongKeyFails) {
  const Bytes plain = Plaintext(kC + 5);
  Bytes file = EncryptInPieces(plain, 1 << 20);
  Decrypted d = DecryptInPieces(file, 100, TestFileKey(2));
  EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
  EXPECT_TRUE(d.plaintext.empty());
  file[3] ^= 0x80;
  d = DecryptInPieces(file, 100);
  EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
  EXPECT_TRUE(d.plaintext.empty());
}

TEST(AgePayload, TrailingDataAfterTheLastChunk) {
  for (size_t size : {size_t{0}, size_t{10}, kC, 2 * kC}) {
    const Bytes plain = Plaintext(size);
    for (size_t extra : {size_t{1}, size_t{17}, kAgeSealedChunkSize + 3}) {
      Bytes file = EncryptInPieces(plain, 1 << 20);
      file.insert(file.end(), extra, 0x42);
      for (size_t piece : {size_t{1}, size_t{4096}, file.size()}) {
        if (piece == 1 && size > kC) continue;
        const Decrypted d = DecryptInPieces(file, piece);
        // A short last chunk cannot be told from the start of a longer one,
        // so the trailing bytes make it fail to authenticate; a full-size
        // last chunk authenticates and the bytes after it are trailing data.
        if (size % kC == 0 && size != 0) {
          EXPECT_CODE(d.status, ErrorCode::kTrailingData) << size << "+" << extra;
          EXPECT_EQ(d.plaintext, plain);
        } else {
          EXPECT_CODE(d.status, ErrorCode::kDecryptFailed) << size << "+" << extra;
          EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + (size / kC) * kC));
        }
      }
    }
  }
}

TEST(AgePayload, PushAfterFinishIsInvalidArgument) {
  // The decryptor knows a short chunk is the last one only at Finish; a Push
  // after Finish is a caller error.
  const Bytes plain = Plaintext(10);
  const Bytes file = EncryptInPieces(plain, 1 << 20);
  auto dec = AgePayloadDecryptor::Create(TestFileKey());
  ASSERT_OK(dec);
  Bytes out;
  ASSERT_OK(dec->Push(file, out));
  ASSERT_OK(dec->Finish(out));
  EXPECT_EQ(out, plain);
  EXPECT_CODE(dec->Push(AsBytes("x"), out), ErrorCode::kInvalidArgument);
}

TEST(AgePayload, FlippedLastFlags) {
  const SecretBytes key = TestFileKey();
  const Bytes a = Plaintext(kC);
  const Bytes b = Plaintext(100);
  struct Case {
    const char* name;
    std::vector<std::pair<Bytes, bool>> chunks;
    ErrorCode code;
    size_t released;
  };
  const std::vector<Case> cases = {
      // Nothing flagged last: a full final chunk authenticates as non-last.
      {"full final chunk not flagged", {{a, false}}, ErrorCode::kTruncated, kC},
      {"short final chunk not flagged", {{b, false}}, ErrorCode::kDecryptFailed, 0},
      {"two chunks, none flagged", {{a, false}, {a, false}}, ErrorCode::kTruncated, 2 * kC},
      // A last flag on a chunk that is not the last.
      {"first chunk flagged last", {{a, true}, {b, true}}, ErrorCode::kTrailingData, kC},
      {"both full chunks flagged last", {{a, true}, {a, true}}, ErrorCode::kTrailingData, kC},
      {"short chunk flagged last, then another",
       {{b, true}, {b, true}},
       ErrorCode::kDecryptFailed,
       0},
  };
  for (const Case& c : cases) {
    const Bytes file = SealByHand(key, TestNonce(), c.chunks);
    for (size_t piece : {size_t{1}, size_t{333}, kAgeSealedChunkSize, file.size()}) {
      const Decrypted d = DecryptInPieces(file, piece);
      EXPECT_CODE(d.status, c.code) << c.name << "/" << piece;
      EXPECT_EQ(d.plaintext.size(), c.released) << c.name << "/" << piece;
    }
  }
}

TEST(AgePayload, ErrorsStick) {
  Bytes file = EncryptInPieces(Plaintext(2 * kC), 1 << 20);
  file[kAgePayloadNonceSize + 5] ^= 1;
  auto dec = AgePayloadDecryptor::Create(TestFileKey());
  ASSERT_OK(dec);
  Bytes out;
  EXPECT_CODE(dec->Push(file, out), ErrorCode::kDecryptFailed);
  EXPECT_CODE(dec->Push(AsBytes("more"), out), ErrorCode::kDecryptFailed);
  EXPECT_CODE(dec->Finish(out), ErrorCode::kDecryptFailed);
  EXPECT_CODE(dec->Push({}, out), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(out.empty());
}

TEST(AgePayload, BadArguments) {
  SecretBytes short_key(kAgeFileKeySize - 1);
  EXPECT_CODE(AgePayloadEncryptor::Create(short_key, TestNonce()), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgePayloadDecryptor::Create(short_key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgePayloadEncryptor::Create(TestFileKey(), Bytes(15)), ErrorCode::kInvalidArgument);
  auto enc = AgePayloadEncryptor::Create(TestFileKey(), TestNonce());
  ASSERT_OK(enc);
  Bytes out;
  ASSERT_OK(enc->Finish(out));
  EXPECT_CODE(enc->Push(AsBytes("x"), out), ErrorCode::kInvalidArgument);
  EXPECT_CODE(enc->Finish(out), ErrorCode::kInvalidArgument);
}

TEST(AgePayload, MemoryDoesNotGrowWithTheStream) {
  // 64 chunks pushed in pieces that straddle chunk boundaries: the
  // decryptor's buffer never holds more than one sealed chunk.
  const Bytes plain = Plaintext(64 * kC + 123);
  const Bytes file = EncryptInPieces(plain, 10000);
  const Decrypted d = DecryptInPieces(file, kAgeSealedChunkSize - 1);
  EXPECT_OK(d.status);
  EXPECT_EQ(d.plaintext, plain);
  EXPECT_LE(d.max_capacity, kAgeSealedChunkSize);
  EXPECT_GE(d.max_capacity, kAgePayloadNonceSize);
}

}  // namespace
}  // namespace medseal
