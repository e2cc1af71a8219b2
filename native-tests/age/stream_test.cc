// SPDX-License-Identifier: Apache-2.0
// Whole age files, streamed (core/age/stream.h): AgeEncryptor/AgeDecryptor
// round trips in every split size (X25519 and scrypt), byte-identical output
// whatever the split, every failure with its code and with no plaintext of
// the bad chunk released, constant memory, random access over every chunk
// boundary against the full decrypt, and the one-shots with and without
// armor.
#include "core/age/stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/age/armor.h"
#include "core/age/header.h"
#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/base/random.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

constexpr size_t kC = kAgeChunkSize;
constexpr size_t kS = kAgeSealedChunkSize;

ChaChaRng TestRng(uint8_t seed = 7) { return ChaChaRng(Bytes(32, seed)); }

AgeIdentity X25519Identity(uint8_t seed) {
  SecretBytes key(32);
  for (size_t i = 0; i < 32; ++i) RevealMutableSecret(key)[i] = static_cast<uint8_t>(seed + i);
  auto id = AgeIdentity::X25519(std::move(key));
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

AgeRecipient RecipientOf(const AgeIdentity& id) {
  auto r = id.Recipient();
  MEDSEAL_CHECK(r.ok());
  return std::move(r).value();
}

Bytes Plaintext(size_t size) {
  Bytes p(size);
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<uint8_t>((i * 29 + (i >> 16) * 3) & 0xFF);
  return p;
}

Bytes EncryptInPieces(ByteView plain, std::span<const AgeRecipient> recipients, size_t piece,
                      uint8_t seed = 7) {
  ChaChaRng rng = TestRng(seed);
  auto enc = AgeEncryptor::Create(recipients, rng);
  EXPECT_TRUE(enc.ok()) << enc.status().ToString();
  Bytes out;
  for (size_t off = 0; off < plain.size(); off += piece) {
    EXPECT_TRUE(enc->Push(plain.subspan(off, std::min(piece, plain.size() - off)), out).ok());
  }
  EXPECT_TRUE(enc->Finish(out).ok());
  return out;
}

struct Decrypted {
  Status status;
  Bytes plaintext;
  size_t max_capacity = 0;
};

Decrypted DecryptInPieces(ByteView file, std::span<const AgeIdentity> ids, size_t piece) {
  Decrypted d;
  auto dec = AgeDecryptor::Create(ids);
  EXPECT_TRUE(dec.ok());
  for (size_t off = 0; off < file.size() && d.status.ok(); off += piece) {
    d.status = dec->Push(file.subspan(off, std::min(piece, file.size() - off)), d.plaintext);
    d.max_capacity = std::max(d.max_capacity, dec->buffer_capacity());
  }
  if (d.status.ok()) d.status = dec->Finish(d.plaintext);
  EXPECT_EQ(dec->plaintext_bytes(), d.plaintext.size());
  return d;
}

// A file with a known file key (for payloads written by hand): the header
// of one X25519 stanza for `id`, then `payload` (nonce and chunks).
Bytes FileWithPayload(const AgeIdentity& id, const SecretBytes& file_key, ByteView payload) {
  ChaChaRng rng = TestRng(3);
  auto stanza = RecipientOf(id).Wrap(file_key, rng);
  MEDSEAL_CHECK(stanza.ok());
  auto header = WriteAgeHeader({*stanza}, file_key);
  MEDSEAL_CHECK(header.ok());
  Bytes file = std::move(header).value();
  file.insert(file.end(), payload.begin(), payload.end());
  return file;
}

SecretBytes FixedFileKey() {
  SecretBytes k(kAgeFileKeySize);
  for (size_t i = 0; i < k.size(); ++i) RevealMutableSecret(k)[i] = static_cast<uint8_t>(i * 5);
  return k;
}

Bytes Payload(const SecretBytes& file_key, ByteView plain) {
  auto enc = AgePayloadEncryptor::Create(file_key, Bytes(kAgePayloadNonceSize, 0x33));
  MEDSEAL_CHECK(enc.ok());
  Bytes out;
  MEDSEAL_CHECK(enc->Push(plain, out).ok());
  MEDSEAL_CHECK(enc->Finish(out).ok());
  return out;
}

const std::vector<size_t> kSizes = {0, 1, kC - 1, kC, kC + 1, 3 * kC};

TEST(AgeStream, RoundTripInEverySplitSize) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  for (size_t size : kSizes) {
    const Bytes plain = Plaintext(size);
    const Bytes file = EncryptInPieces(plain, to, size + 1);
    for (size_t piece : {size_t{1}, size_t{2}, size_t{7}, size_t{100}, size_t{4096}, kC - 1, kC, kS,
                         kS + 1, size_t{1} << 20}) {
      if (piece == 1 && size > kC + 1) continue;  // one-byte pushes: up to 64 KiB + 1
      // The encryptor's output does not depend on how the input was split.
      EXPECT_EQ(EncryptInPieces(plain, to, piece), file) << size << "/" << piece;
      const Decrypted d = DecryptInPieces(file, ids, piece);
      ASSERT_TRUE(d.status.ok()) << size << "/" << piece << ": " << d.status.ToString();
      EXPECT_EQ(d.plaintext, plain) << size << "/" << piece;
    }
  }
}

TEST(AgeStream, OneBytePushesOfThreeChunks) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  const Bytes plain = Plaintext(3 * kC);
  const Bytes file = EncryptInPieces(plain, to, 1);
  const Decrypted d = DecryptInPieces(file, ids, 1);
  EXPECT_OK(d.status);
  EXPECT_EQ(d.plaintext, plain);
}

TEST(AgeStream, LayoutIsHeaderNonceChunks) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  ChaChaRng rng = TestRng();
  auto enc = AgeEncryptor::Create(to, rng);
  ASSERT_OK(enc);
  auto parsed = ParseAgeHeader(enc->header());
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->size, enc->header().size());
  ASSERT_EQ(parsed->stanzas.size(), 1U);
  EXPECT_EQ(parsed->stanzas[0].type, "X25519");
  Bytes out;
  ASSERT_OK(enc->Push(Plaintext(kC + 1), out));
  ASSERT_OK(enc->Finish(out));
  EXPECT_EQ(out.size(), enc->header().size() + kAgePayloadNonceSize + kC + 1 + 2 * kAgeTagSize);
  EXPECT_TRUE(std::equal(enc->header().begin(), enc->header().end(), out.begin()));
}

TEST(AgeStream, MultipleRecipientsEachOpen) {
  const AgeIdentity a = X25519Identity(1);
  const AgeIdentity b = X25519Identity(2);
  const std::vector<AgeRecipient> to = {RecipientOf(a), RecipientOf(b)};
  const Bytes plain = Plaintext(1000);
  const Bytes file = EncryptInPieces(plain, to, 1000);
  for (const AgeIdentity& id : {a, b}) {
    const std::vector<AgeIdentity> ids = {id};
    const Decrypted d = DecryptInPieces(file, ids, 9);
    EXPECT_OK(d.status);
    EXPECT_EQ(d.plaintext, plain);
  }
}

TEST(AgeStream, PassphraseRoundTripAndRules) {
  auto r = AgeRecipient::Scrypt(SecretBytes::CopyFrom(AsBytes("correct horse")), 4);
  ASSERT_OK(r);
  auto id = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes("correct horse")), 10);
  ASSERT_OK(id);
  const std::vector<AgeRecipient> to = {*r};
  const std::vector<AgeIdentity> ids = {*id};
  const Bytes plain = Plaintext(kC + 3);
  const Bytes file = EncryptInPieces(plain, to, 777);
  const Decrypted d = DecryptInPieces(file, ids, 5);
  EXPECT_OK(d.status);
  EXPECT_EQ(d.plaintext, plain);

  auto wrong = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes("wrong horse")), 10);
  ASSERT_OK(wrong);
  const std::vector<AgeIdentity> wrong_ids = {*wrong};
  const Decrypted w = DecryptInPieces(file, wrong_ids, 5);
  EXPECT_CODE(w.status, ErrorCode::kNoMatchingRecipient);
  EXPECT_TRUE(w.plaintext.empty());

  // The spec: a scrypt recipient must be alone.
  const std::vector<AgeRecipient> mixed = {*r, RecipientOf(X25519Identity(1))};
  ChaChaRng rng = TestRng();
  EXPECT_CODE(AgeEncryptor::Create(mixed, rng), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeEncryptor::Create({}, rng), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeDecryptor::Create({}), ErrorCode::kInvalidArgument);
}

TEST(AgeStream, WrongKeyReleasesNothing) {
  const std::vector<AgeRecipient> to = {RecipientOf(X25519Identity(1))};
  const std::vector<AgeIdentity> other = {X25519Identity(2)};
  const Bytes file = EncryptInPieces(Plaintext(3 * kC), to, 1 << 20);
  for (size_t piece : {size_t{1}, size_t{1000}, file.size()}) {
    const Decrypted d = DecryptInPieces(file, other, piece);
    EXPECT_CODE(d.status, ErrorCode::kNoMatchingRecipient);
    EXPECT_TRUE(d.plaintext.empty());
  }
}

TEST(AgeStream, HeaderMacMismatch) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  Bytes file = EncryptInPieces(Plaintext(100), to, 100);
  auto parsed = ParseAgeHeader(file);
  ASSERT_OK(parsed);
  // The MAC line is "--- " + 43 base64 characters + LF: change its first
  // character to another valid one.
  uint8_t& c = file[parsed->size - 44];
  c = c == 'A' ? 'B' : 'A';
  const Decrypted d = DecryptInPieces(file, ids, 3);
  EXPECT_CODE(d.status, ErrorCode::kHeaderMacMismatch);
  EXPECT_TRUE(d.plaintext.empty());
}

TEST(AgeStream, TruncatedAnywhere) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  const Bytes plain = Plaintext(2 * kC + 50);
  const Bytes file = EncryptInPieces(plain, to, 1 << 20);
  auto parsed = ParseAgeHeader(file);
  ASSERT_OK(parsed);
  const size_t h = parsed->size;
  struct Cut {
    size_t keep;
    ErrorCode code;
    size_t released;
  };
  const std::vector<Cut> cuts = {
      {0, ErrorCode::kTruncated, 0},
      {10, ErrorCode::kTruncated, 0},
      {h - 1, ErrorCode::kTruncated, 0},
      {h, ErrorCode::kTruncated, 0},                         // no nonce
      {h + kAgePayloadNonceSize, ErrorCode::kTruncated, 0},  // no chunk
      {h + kAgePayloadNonceSize + 15, ErrorCode::kTruncated, 0},
      {h + kAgePayloadNonceSize + kS, ErrorCode::kTruncated, kC},  // a chunk boundary
      {h + kAgePayloadNonceSize + 2 * kS, ErrorCode::kTruncated, 2 * kC},
      {file.size() - 1, ErrorCode::kDecryptFailed, 2 * kC},  // inside the last chunk
  };
  for (const Cut& cut : cuts) {
    for (size_t piece : {size_t{1}, size_t{4097}, file.size()}) {
      if (piece == 1 && cut.keep > 2 * kS) continue;
      const Decrypted d = DecryptInPieces(ByteView(file).first(cut.keep), ids, piece);
      EXPECT_CODE(d.status, cut.code) << cut.keep << "/" << piece;
      EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + cut.released))
          << cut.keep << "/" << piece;
    }
  }
}

TEST(AgeStream, ReorderedTamperedTrailing) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeIdentity> ids = {id};
  const SecretBytes key = FixedFileKey();
  const Bytes plain = Plaintext(3 * kC);
  const Bytes good = FileWithPayload(id, key, Payload(key, plain));
  const size_t p = good.size() - (kAgePayloadNonceSize + 3 * kS);  // header size
  {
    const Decrypted d = DecryptInPieces(good, ids, 999);
    EXPECT_OK(d.status);
    EXPECT_EQ(d.plaintext, plain);
  }
  {  // chunks 1 and 2 swapped: chunk 0 is released, nothing after
    Bytes f = good;
    auto c1 = f.begin() + static_cast<ptrdiff_t>(p + kAgePayloadNonceSize + kS);
    std::swap_ranges(c1, c1 + kS, c1 + kS);
    const Decrypted d = DecryptInPieces(f, ids, 999);
    EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
    EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + kC));
  }
  for (size_t chunk = 0; chunk < 3; ++chunk) {  // one bit flipped in each chunk
    Bytes f = good;
    f[p + kAgePayloadNonceSize + chunk * kS + 100] ^= 0x04;
    const Decrypted d = DecryptInPieces(f, ids, 7);
    EXPECT_CODE(d.status, ErrorCode::kDecryptFailed);
    EXPECT_EQ(d.plaintext, Bytes(plain.begin(), plain.begin() + chunk * kC)) << chunk;
  }
  {  // trailing data after a full last chunk
    Bytes f = good;
    f.push_back(0);
    const Decrypted d = DecryptInPieces(f, ids, 7);
    EXPECT_CODE(d.status, ErrorCode::kTrailingData);
    EXPECT_EQ(d.plaintext, plain);
  }
}

TEST(AgeStream, FlippedLastFlag) {
  // The last chunk sealed without the last flag (written by hand through two
  // payload encryptors: the first one's output minus its final chunk).
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeIdentity> ids = {id};
  const SecretBytes key = FixedFileKey();
  const Bytes plain = Plaintext(2 * kC);
  // Payload(2 chunks + 1 byte) = nonce, chunk0, chunk1 (non-last, full), chunk2
  Bytes longer = Payload(key, Plaintext(2 * kC + 1));
  longer.resize(kAgePayloadNonceSize + 2 * kS);  // drop chunk 2: chunk 1 is not flagged last
  const Decrypted d = DecryptInPieces(FileWithPayload(id, key, longer), ids, 3);
  EXPECT_CODE(d.status, ErrorCode::kTruncated);
  EXPECT_EQ(d.plaintext, plain);  // both full chunks authenticated at their positions
  // A first chunk flagged last, followed by more: trailing data after it.
  Bytes one = Payload(key, Plaintext(kC));  // chunk 0 full and flagged last
  one.insert(one.end(), kAgeTagSize + 10, 0x01);
  const Decrypted t = DecryptInPieces(FileWithPayload(id, key, one), ids, 3);
  EXPECT_CODE(t.status, ErrorCode::kTrailingData);
  EXPECT_EQ(t.plaintext, Plaintext(kC));
}

TEST(AgeStream, ErrorsStickAndHeaderErrorsComeFromTheParser) {
  const std::vector<AgeIdentity> ids = {X25519Identity(1)};
  auto dec = AgeDecryptor::Create(ids);
  ASSERT_OK(dec);
  Bytes out;
  EXPECT_CODE(dec->Push(AsBytes("age-encryption.org/v2\n"), out), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(dec->Push(AsBytes("-> X25519 abc\n"), out), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(dec->Finish(out), ErrorCode::kUnsupportedVersion);
  EXPECT_FALSE(dec->header().has_value());
}

TEST(AgeStream, HeaderWithoutNewlineIsTooLargeAtTheLimit) {
  const std::vector<AgeIdentity> ids = {X25519Identity(1)};
  auto dec = AgeDecryptor::Create(ids);
  ASSERT_OK(dec);
  Bytes out;
  ASSERT_OK(dec->Push(AsBytes("age-encryption.org/v1\n-> X25519 "), out));
  const Bytes junk(kAgeMaxHeaderBytes, 'a');
  EXPECT_CODE(dec->Push(junk, out), ErrorCode::kTooLarge);
  EXPECT_LE(dec->buffer_capacity(), kAgeMaxHeaderBytes + 1);
}

TEST(AgeStream, MemoryDoesNotGrowWithTheFile) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  const Bytes plain = Plaintext(40 * kC + 17);
  const Bytes file = EncryptInPieces(plain, to, 1 << 20);
  for (size_t piece : {size_t{1000}, kS - 1, kS + 1, size_t{1} << 20}) {
    const Decrypted d = DecryptInPieces(file, ids, piece);
    EXPECT_OK(d.status);
    EXPECT_EQ(d.plaintext, plain);
    // The header is parsed in place or from a buffer of header bytes only,
    // then one sealed chunk at most.
    EXPECT_LE(d.max_capacity, kS + 256) << piece;
  }
}

TEST(AgeStream, HeaderIsExposedAfterItCompletes) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  const Bytes file = EncryptInPieces(Plaintext(10), to, 10);
  auto dec = AgeDecryptor::Create(ids);
  ASSERT_OK(dec);
  Bytes out;
  ASSERT_OK(dec->Push(ByteView(file).first(20), out));
  EXPECT_FALSE(dec->header().has_value());
  ASSERT_OK(dec->Push(ByteView(file).subspan(20), out));
  ASSERT_TRUE(dec->header().has_value());
  auto parsed = ParseAgeHeader(file);
  ASSERT_OK(parsed);
  EXPECT_EQ(dec->header()->mac_input, parsed->mac_input);
  EXPECT_EQ(dec->header()->size, parsed->size);
}

// --- random access -----------------------------------------------------------

TEST(AgeRandomAccess, EveryBoundaryMatchesTheFullDecrypt) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  for (size_t size : {size_t{0}, size_t{1}, kC - 1, kC, kC + 1, 3 * kC, 3 * kC + 100}) {
    const Bytes plain = Plaintext(size);
    const Bytes file = EncryptInPieces(plain, to, 1 << 20);
    auto ra = AgeRandomAccess::Open(ByteView(file).first(std::min<size_t>(file.size(), 400)),
                                    file.size(), ids);
    ASSERT_OK(ra);
    EXPECT_EQ(ra->plaintext_size(), size);
    std::vector<size_t> points = {0, 1, size};
    for (size_t b = kC; b <= size + kC; b += kC) {
      for (size_t q : {b - 1, b, b + 1}) points.push_back(q);
    }
    for (size_t off : points) {
      for (size_t end : points) {
        if (off > size || end > size || end < off) continue;
        const size_t len = end - off;
        auto span = ra->Locate(off, len);
        ASSERT_OK(span);
        ASSERT_LE(span->offset + span->length, file.size());
        if (len > 0) {
          // Whole chunks: starts at a chunk boundary of the payload.
          const uint64_t payload_start = file.size() -
                                         (size + kAgePayloadNonceSize +
                                          std::max<size_t>(1, (size + kC - 1) / kC) * kAgeTagSize) +
                                         kAgePayloadNonceSize;
          EXPECT_EQ((span->offset - payload_start) % kS, 0U);
          EXPECT_EQ((span->offset - payload_start) / kS, off / kC);
        }
        auto got = ra->Read(off, len,
                            ByteView(file).subspan(static_cast<size_t>(span->offset),
                                                   static_cast<size_t>(span->length)));
        ASSERT_OK(got);
        const ByteView g = RevealSecret(*got);
        EXPECT_TRUE(std::equal(g.begin(), g.end(), plain.begin() + off, plain.begin() + end) &&
                    g.size() == len)
            << size << ": [" << off << ", " << end << ")";
      }
    }
  }
}

TEST(AgeRandomAccess, DoesNotTouchEarlierChunks) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeIdentity> ids = {id};
  const SecretBytes key = FixedFileKey();
  const Bytes plain = Plaintext(4 * kC + 9);
  Bytes file = FileWithPayload(id, key, Payload(key, plain));
  const size_t h = file.size() - (kAgePayloadNonceSize + 4 * kS + 9 + kAgeTagSize);
  // Destroy chunks 0 and 1: chunks 2.. still read.
  std::fill(file.begin() + static_cast<ptrdiff_t>(h + kAgePayloadNonceSize),
            file.begin() + static_cast<ptrdiff_t>(h + kAgePayloadNonceSize + 2 * kS), 0);
  auto ra = AgeRandomAccess::Open(ByteView(file).first(h + kAgePayloadNonceSize), file.size(), ids);
  ASSERT_OK(ra);
  auto span = ra->Locate(2 * kC + 5, 2 * kC);
  ASSERT_OK(span);
  EXPECT_EQ(span->offset, h + kAgePayloadNonceSize + 2 * kS);
  EXPECT_EQ(span->length, file.size() - span->offset);
  auto got = ra->Read(2 * kC + 5, 2 * kC,
                      ByteView(file).subspan(static_cast<size_t>(span->offset)));
  ASSERT_OK(got);
  EXPECT_TRUE(
      std::equal(RevealSecret(*got).begin(), RevealSecret(*got).end(), plain.begin() + 2 * kC + 5));
  // A destroyed chunk that is read fails.
  auto s0 = ra->Locate(10, 1);
  ASSERT_OK(s0);
  EXPECT_CODE(ra->Read(10, 1,
                       ByteView(file).subspan(static_cast<size_t>(s0->offset),
                                              static_cast<size_t>(s0->length))),
              ErrorCode::kDecryptFailed);
}

TEST(AgeRandomAccess, TruncationAndBadArguments) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  const Bytes plain = Plaintext(3 * kC);
  const Bytes file = EncryptInPieces(plain, to, 1 << 20);
  auto parsed = ParseAgeHeader(file);
  ASSERT_OK(parsed);
  const size_t h = parsed->size;
  // Cut at a chunk boundary: the size is plausible, but the chunk that is now
  // last was not sealed as the last one.
  const size_t cut = h + kAgePayloadNonceSize + 2 * kS;
  auto ra = AgeRandomAccess::Open(file, cut, ids);
  EXPECT_CODE(ra, ErrorCode::kInvalidArgument);  // the prefix is longer than the file
  ra = AgeRandomAccess::Open(ByteView(file).first(h + kAgePayloadNonceSize), cut, ids);
  ASSERT_OK(ra);
  EXPECT_EQ(ra->plaintext_size(), 2 * kC);
  auto span = ra->Locate(kC, 1);
  ASSERT_OK(span);
  EXPECT_CODE(ra->Read(kC, 1,
                       ByteView(file).subspan(static_cast<size_t>(span->offset),
                                              static_cast<size_t>(span->length))),
              ErrorCode::kDecryptFailed);
  auto first = ra->Locate(0, 1);  // chunk 0 is intact
  ASSERT_OK(first);
  EXPECT_OK(ra->Read(0, 1,
                     ByteView(file).subspan(static_cast<size_t>(first->offset),
                                            static_cast<size_t>(first->length))));

  const ByteView prefix = ByteView(file).first(h + kAgePayloadNonceSize);
  EXPECT_CODE(AgeRandomAccess::Open(ByteView(file).first(h - 1), file.size(), ids),
              ErrorCode::kTruncated);
  EXPECT_CODE(AgeRandomAccess::Open(ByteView(file).first(h + 3), file.size(), ids),
              ErrorCode::kTruncated);
  // Sizes no payload can have: no chunk, a chunk without its tag, an empty
  // last chunk after a full one.
  EXPECT_CODE(AgeRandomAccess::Open(prefix, h + kAgePayloadNonceSize, ids), ErrorCode::kMalformed);
  EXPECT_CODE(AgeRandomAccess::Open(prefix, h + kAgePayloadNonceSize + 5, ids),
              ErrorCode::kMalformed);
  EXPECT_CODE(AgeRandomAccess::Open(prefix, h + kAgePayloadNonceSize + kS + kAgeTagSize, ids),
              ErrorCode::kMalformed);
  EXPECT_CODE(AgeRandomAccess::Open(prefix, file.size(), {}), ErrorCode::kInvalidArgument);
  const std::vector<AgeIdentity> other = {X25519Identity(9)};
  EXPECT_CODE(AgeRandomAccess::Open(prefix, file.size(), other), ErrorCode::kNoMatchingRecipient);

  ra = AgeRandomAccess::Open(prefix, file.size(), ids);
  ASSERT_OK(ra);
  EXPECT_CODE(ra->Locate(3 * kC, 1), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ra->Locate(1, 3 * kC), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ra->Locate(UINT64_MAX, 2), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ra->Read(0, 1, ByteView(file).first(10)), ErrorCode::kInvalidArgument);
}

// --- one-shots ---------------------------------------------------------------

TEST(AgeOneShot, BinaryAndArmored) {
  const AgeIdentity id = X25519Identity(1);
  const std::vector<AgeRecipient> to = {RecipientOf(id)};
  const std::vector<AgeIdentity> ids = {id};
  for (size_t size : kSizes) {
    const Bytes plain = Plaintext(size);
    for (bool armor : {false, true}) {
      ChaChaRng rng = TestRng();
      auto file = AgeEncrypt(plain, to, rng, armor);
      ASSERT_OK(file);
      EXPECT_EQ(LooksArmored(*file), armor);
      if (!armor) EXPECT_EQ(*file, EncryptInPieces(plain, to, 4096));
      auto back = AgeDecrypt(*file, ids);
      ASSERT_OK(back);
      EXPECT_TRUE(std::equal(RevealSecret(*back).begin(), RevealSecret(*back).end(), plain.begin(),
                             plain.end()) &&
                  back->size() == size);
    }
  }
  ChaChaRng rng = TestRng();
  auto file = AgeEncrypt(Plaintext(10), to, rng, true);
  ASSERT_OK(file);
  Bytes broken = *file;
  broken[40] = '*';  // inside the base64
  EXPECT_CODE(AgeDecrypt(broken, ids), ErrorCode::kArmorMalformed);
  Bytes cut = *file;
  cut.resize(cut.size() - 3);
  EXPECT_FALSE(AgeDecrypt(cut, ids).ok());
}

}  // namespace
}  // namespace medseal
