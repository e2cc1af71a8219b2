// SPDX-License-Identifier: Apache-2.0
// Sealed record v2's post-quantum stanza, type 3 (docs/spec/record.md §5.3,
// §5.4 step 3, §5.5 W19/K27, §5.6 H1-H2): the X-Wing stanza's construction
// rebuilt from its parts, its failure codes, its parse rules, and what
// inspection reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/codec/json.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/xwing.h"
#include "core/record/internal/record_internal.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

XWingPrivateKey Key(uint8_t seed_byte) {
  auto k = XWingPrivateKey::FromSeed(Bytes(32, seed_byte));
  EXPECT_TRUE(k.ok());
  return std::move(k).value();
}

const Bytes kKeyId(16, 0x42);
const Bytes kEseed = [] {
  Bytes e(64);
  for (size_t i = 0; i < e.size(); ++i) e[i] = static_cast<uint8_t>(i * 7 + 1);
  return e;
}();

SecretBytes DataKey() { return SecretBytes::CopyFrom(Bytes(32, 0xd7)); }

// The construction of spec §5.4 step 3, from X-Wing, BLAKE2b and the AEAD
// directly: the stanza body is ct || AEAD(wrap_key, 0^24, "", dek) with
// wrap_key = BLAKE2b-32(ss, LABEL("medseal/v2/record/xwing-wrap") || key_id || ct).
TEST(XWingStanza, BodyIsCiphertextThenTheWrappedKeyUnderTheSpecifiedWrapKey) {
  const XWingPrivateKey key = Key(0x31);
  auto stanza = internal::SealXWingStanza(kKeyId, key.public_key(), kEseed, DataKey());
  ASSERT_OK(stanza);
  EXPECT_EQ(stanza->type, kStanzaXWing);
  EXPECT_EQ(stanza->key_id, kKeyId);
  ASSERT_EQ(stanza->wrapped_key.size(), kXWingStanzaBodySize);
  ASSERT_EQ(kXWingStanzaBodySize, 1168u);

  auto enc = XWingEncapsulateDerand(key.public_key(), kEseed);
  ASSERT_OK(enc);
  const ByteView body(stanza->wrapped_key);
  EXPECT_EQ(Bytes(body.begin(), body.begin() + 1120), enc->ciphertext);
  Bytes msg = LabelBytes("medseal/v2/record/xwing-wrap");
  EXPECT_EQ(msg.back(), 0);
  msg.insert(msg.end(), kKeyId.begin(), kKeyId.end());
  msg.insert(msg.end(), enc->ciphertext.begin(), enc->ciphertext.end());
  auto wrap = Blake2bDeriveKey(32, RevealSecret(enc->shared_secret), msg);
  ASSERT_OK(wrap);
  auto dek = XChaCha20Poly1305Open(RevealSecret(*wrap), Bytes(24, 0), {}, body.subspan(1120));
  ASSERT_OK(dek);
  EXPECT_EQ(*dek, Bytes(32, 0xd7));

  auto opened = internal::OpenXWingStanza(*stanza, key);
  ASSERT_OK(opened);
  EXPECT_EQ(HexEncode(RevealSecret(*opened)), HexEncode(Bytes(32, 0xd7)));
}

TEST(XWingStanza, FreshRandomnessGivesAFreshStanza) {
  const XWingPrivateKey key = Key(0x31);
  Bytes other = kEseed;
  other[0] ^= 1;  // the ML-KEM half of the randomness
  auto a = internal::SealXWingStanza(kKeyId, key.public_key(), kEseed, DataKey());
  auto b = internal::SealXWingStanza(kKeyId, key.public_key(), other, DataKey());
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_NE(a->wrapped_key, b->wrapped_key);
  // Deterministic in its inputs (the known answers depend on it).
  auto again = internal::SealXWingStanza(kKeyId, key.public_key(), kEseed, DataKey());
  ASSERT_OK(again);
  EXPECT_EQ(again->wrapped_key, a->wrapped_key);
}

// H2: anything that changes the wrap key or the wrapped bytes is
// DECRYPT_FAILED (ML-KEM's implicit rejection turns a changed ciphertext
// into a wrong secret, not an error).
TEST(XWingStanza, ChangesFailToDecrypt) {
  const XWingPrivateKey key = Key(0x31);
  auto sealed = internal::SealXWingStanza(kKeyId, key.public_key(), kEseed, DataKey());
  ASSERT_OK(sealed);
  for (size_t at :
       {size_t{0}, size_t{1087}, size_t{1088}, size_t{1119}, size_t{1120}, size_t{1167}}) {
    RecipientStanza s = *sealed;
    s.wrapped_key[at] ^= 0x01;
    EXPECT_CODE(internal::OpenXWingStanza(s, key), ErrorCode::kDecryptFailed) << at;
  }
  RecipientStanza other_id = *sealed;
  other_id.key_id[15] ^= 1;  // the key id is in the wrap key
  EXPECT_CODE(internal::OpenXWingStanza(other_id, key), ErrorCode::kDecryptFailed);
  EXPECT_CODE(internal::OpenXWingStanza(*sealed, Key(0x32)), ErrorCode::kDecryptFailed);
}

// H1: a ciphertext whose X25519 part gives an all-zero secret.
TEST(XWingStanza, LowOrderCiphertextIsWeakKey) {
  const XWingPrivateKey key = Key(0x31);
  auto sealed = internal::SealXWingStanza(kKeyId, key.public_key(), kEseed, DataKey());
  ASSERT_OK(sealed);
  RecipientStanza s = *sealed;
  std::fill(s.wrapped_key.begin() + 1088, s.wrapped_key.begin() + 1120, 0);
  EXPECT_CODE(internal::OpenXWingStanza(s, key), ErrorCode::kWeakKey);
}

TEST(XWingStanza, BadArgumentsAndKeys) {
  const XWingPrivateKey key = Key(0x31);
  const Bytes& pk = key.public_key();
  EXPECT_CODE(internal::SealXWingStanza(kKeyId, ByteView(pk).first(1215), kEseed, DataKey()),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(internal::SealXWingStanza(kKeyId, pk, ByteView(kEseed).first(63), DataKey()),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(internal::SealXWingStanza(ByteView(kKeyId).first(15), pk, kEseed, DataKey()),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(internal::SealXWingStanza(kKeyId, pk, kEseed, SecretBytes::CopyFrom(Bytes(31, 1))),
              ErrorCode::kInvalidArgument);
  Bytes low = pk;
  std::fill(low.end() - 32, low.end(), 0);
  EXPECT_CODE(internal::SealXWingStanza(kKeyId, low, kEseed, DataKey()), ErrorCode::kWeakKey);
  Bytes unreduced = pk;
  unreduced[0] = 0xff;
  unreduced[1] |= 0x0f;
  EXPECT_CODE(internal::SealXWingStanza(kKeyId, unreduced, kEseed, DataKey()),
              ErrorCode::kInvalidKey);
  // Opening something that is not a type 3 stanza of 1168 bytes.
  auto sealed = internal::SealXWingStanza(kKeyId, pk, kEseed, DataKey());
  ASSERT_OK(sealed);
  RecipientStanza wrong_type = *sealed;
  wrong_type.type = kStanzaX25519;
  EXPECT_CODE(internal::OpenXWingStanza(wrong_type, key), ErrorCode::kMalformed);
  RecipientStanza short_body = *sealed;
  short_body.wrapped_key.pop_back();
  EXPECT_CODE(internal::OpenXWingStanza(short_body, key), ErrorCode::kMalformed);
}

// A v2 record (hand-built, not verified: parsing checks structure only)
// with a type 3 stanza of the given body size after a type 1 stanza.
SealedRecord WithXWingBody(size_t body_size) {
  SealedRecord r;
  r.version = kRecordVersion2;
  r.sender_key_id = Bytes(16, 1);
  r.nonce = Bytes(24, 2);
  r.ephemeral_key = Bytes(32, 9);
  r.purposes = {RecordPurpose{"urn:x", "TREAT"}};
  r.recipients = {RecipientStanza{Bytes(16, 3), Bytes(48, 4), kStanzaX25519},
                  RecipientStanza{Bytes(16, 3), Bytes(body_size, 5), kStanzaXWing}};
  r.ciphertext = Bytes(256 + 16, 6);
  r.signature = Bytes(64, 7);
  return r;
}

// W19 / K27: type 3 is a known type, whose body is 1168 bytes.
TEST(XWingStanzaParsing, TypeThreeNeedsA1168ByteBody) {
  for (size_t size :
       {size_t{0}, size_t{48}, size_t{1120}, size_t{1167}, size_t{1169}, size_t{4096}}) {
    const SealedRecord r = WithXWingBody(size);
    EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(r)), ErrorCode::kMalformed) << size;
    EXPECT_CODE(ParseRecordJson(EncodeRecordJson(r)), ErrorCode::kMalformed) << size;
    EXPECT_CODE(internal::CheckStructure(r), ErrorCode::kMalformed) << size;
  }
  const SealedRecord ok = WithXWingBody(1168);
  auto bin = ParseRecordBinary(EncodeRecordBinary(ok));
  ASSERT_OK(bin);
  EXPECT_EQ(EncodeRecordBinary(*bin), EncodeRecordBinary(ok));
  auto json = ParseRecordJson(EncodeRecordJson(ok));
  ASSERT_OK(json);
  EXPECT_EQ(EncodeRecordBinary(*json), EncodeRecordBinary(ok));
  EXPECT_OK(internal::CheckStructure(ok));
  // The same type and key id twice is a duplicate; type 3 sorts after 1 and 2.
  SealedRecord twice = ok;
  twice.recipients.push_back(twice.recipients.back());
  EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(twice)), ErrorCode::kDuplicateRecipient);
  SealedRecord reversed = ok;
  std::swap(reversed.recipients[0], reversed.recipients[1]);
  EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(reversed)), ErrorCode::kNonCanonical);
  // Type 4 stays unknown: any body of 0..4096 bytes.
  SealedRecord four = WithXWingBody(1167);
  four.recipients[1].type = 4;
  EXPECT_OK(ParseRecordBinary(EncodeRecordBinary(four)));
}

// inspectRecord's JSON: a recipient is post-quantum for types 2 and 3; the
// record when all of its recipients are.
TEST(XWingStanzaParsing, HeaderJsonReportsPostQuantumPerRecipient) {
  SealedRecord r = WithXWingBody(1168);
  r.recipients.insert(r.recipients.begin() + 1,
                      RecipientStanza{Bytes(16, 8), Bytes(48, 4), kStanzaVault});
  r.recipients.push_back(RecipientStanza{Bytes(16, 3), Bytes(10, 5), 200});
  auto j = ParseJsonObject(RecordHeaderJson(r), 1 << 20);
  ASSERT_OK(j);
  const Json& recips = (*j)["recipients"];
  ASSERT_EQ(recips.size(), 4u);
  const bool expected[] = {false, true, true, false};
  const int types[] = {1, 2, 3, 200};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(recips[i]["type"].get<int>(), types[i]);
    ASSERT_TRUE(recips[i]["postQuantum"].is_boolean()) << i;
    EXPECT_EQ(recips[i]["postQuantum"].get<bool>(), expected[i]) << i;
  }
  EXPECT_EQ((*j)["postQuantum"], false);
  // Without the X25519 and the unknown stanza, every recipient is.
  r.recipients.erase(r.recipients.begin());
  r.recipients.pop_back();
  auto pq = ParseJsonObject(RecordHeaderJson(r), 1 << 20);
  ASSERT_OK(pq);
  EXPECT_EQ((*pq)["postQuantum"], true);
  EXPECT_EQ((*pq)["recipients"].size(), 2u);
}

}  // namespace
}  // namespace medseal
