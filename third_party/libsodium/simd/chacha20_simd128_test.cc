// SPDX-License-Identifier: Apache-2.0
// The WebAssembly SIMD ChaCha20 (chacha20_simd128.c) against libsodium's
// scalar reference implementation (crypto_stream/chacha20/ref), both linked
// into this wasm program: every length 0..1100, both ChaCha20 variants, block
// counters around the 32- and 64-bit wrap points, in place and out of place,
// at unaligned addresses, without writing past the end. Then the public
// libsodium API (which dispatches to the SIMD code in this build) against
// RFC 8439's known answers. The Wycheproof ChaCha20-Poly1305 and
// XChaCha20-Poly1305 suites run through the same build in the wasm-tests
// GoogleTest suite (native-tests/crypto/aead_test.cc).
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "crypto_stream/chacha20/stream_chacha20.h"
extern struct crypto_stream_chacha20_implementation crypto_stream_chacha20_ref_implementation;
extern struct crypto_stream_chacha20_implementation medseal_chacha20_simd128_implementation;
}

namespace {

const crypto_stream_chacha20_implementation& Ref() {
  return crypto_stream_chacha20_ref_implementation;
}
const crypto_stream_chacha20_implementation& Simd() {
  return medseal_chacha20_simd128_implementation;
}

constexpr size_t kMaxLen = 1100;
constexpr size_t kGuard = 32;
constexpr unsigned char kGuardByte = 0xA5;

class ChaCha20Simd128 : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    unsigned char seed[randombytes_SEEDBYTES] = {1, 2, 3};
    std::vector<unsigned char> material(32 + 12 + kMaxLen);
    randombytes_buf_deterministic(material.data(), material.size(), seed);
    std::memcpy(key_, material.data(), 32);
    std::memcpy(nonce_, material.data() + 32, 12);
    message_.assign(material.begin() + 44, material.end());
  }

  // Runs f(out) into a buffer with guard bytes on both sides at 'offset'
  // (0..15) from a 16-byte boundary; fails if a guard byte changed.
  template <typename F>
  std::vector<unsigned char> Guarded(size_t len, size_t offset, F f) {
    std::vector<unsigned char> buf(kGuard + 16 + len + kGuard, kGuardByte);
    unsigned char* base = buf.data() + kGuard;
    base += (16 - reinterpret_cast<uintptr_t>(base) % 16) % 16 + offset;
    f(base);
    for (unsigned char* p = buf.data(); p < base; ++p) {
      EXPECT_EQ(*p, kGuardByte) << "written before the output, len " << len;
    }
    for (unsigned char* p = base + len; p < buf.data() + buf.size(); ++p) {
      EXPECT_EQ(*p, kGuardByte) << "written past the output, len " << len;
    }
    return std::vector<unsigned char>(base, base + len);
  }

  unsigned char key_[32];
  unsigned char nonce_[12];
  std::vector<unsigned char> message_;
};

TEST_F(ChaCha20Simd128, XorIcMatchesReferenceForEveryLengthAndCounter) {
  const uint64_t counters[] = {
      0, 1, 3, 5, 0xfffffffdULL, 0xffffffffULL, 0x1fffffffeULL, 0xfffffffffffffffcULL};
  size_t compared = 0;
  for (uint64_t ic : counters) {
    for (size_t len = 0; len <= kMaxLen; ++len) {
      const size_t offset = len % 16;
      auto ref = Guarded(len, offset, [&](unsigned char* out) {
        ASSERT_EQ(Ref().stream_xor_ic(out, message_.data(), len, nonce_, ic, key_), 0);
      });
      auto simd = Guarded(len, offset, [&](unsigned char* out) {
        ASSERT_EQ(Simd().stream_xor_ic(out, message_.data(), len, nonce_, ic, key_), 0);
      });
      ASSERT_EQ(ref, simd) << "original ChaCha20, counter " << ic << ", length " << len;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 8u * (kMaxLen + 1));
}

TEST_F(ChaCha20Simd128, IetfXorIcMatchesReferenceForEveryLengthAndCounter) {
  // Near 2^32 the reference carries into state word 13 (the first nonce
  // word); the SIMD code must do the same.
  const uint32_t counters[] = {0, 1, 2, 7, 0xfffffffcU, 0xfffffffeU, 0xffffffffU};
  for (uint32_t ic : counters) {
    for (size_t len = 0; len <= kMaxLen; ++len) {
      const size_t offset = (len * 7) % 16;
      auto ref = Guarded(len, offset, [&](unsigned char* out) {
        ASSERT_EQ(Ref().stream_ietf_ext_xor_ic(out, message_.data(), len, nonce_, ic, key_), 0);
      });
      auto simd = Guarded(len, offset, [&](unsigned char* out) {
        ASSERT_EQ(Simd().stream_ietf_ext_xor_ic(out, message_.data(), len, nonce_, ic, key_), 0);
      });
      ASSERT_EQ(ref, simd) << "IETF ChaCha20, counter " << ic << ", length " << len;
    }
  }
}

TEST_F(ChaCha20Simd128, KeystreamMatchesReferenceForEveryLength) {
  for (size_t len = 0; len <= kMaxLen; ++len) {
    auto ref = Guarded(
        len, 3, [&](unsigned char* out) { ASSERT_EQ(Ref().stream(out, len, nonce_, key_), 0); });
    auto simd = Guarded(
        len, 3, [&](unsigned char* out) { ASSERT_EQ(Simd().stream(out, len, nonce_, key_), 0); });
    ASSERT_EQ(ref, simd) << "original ChaCha20 keystream, length " << len;
    auto ref_ietf = Guarded(len, 9, [&](unsigned char* out) {
      ASSERT_EQ(Ref().stream_ietf_ext(out, len, nonce_, key_), 0);
    });
    auto simd_ietf = Guarded(len, 9, [&](unsigned char* out) {
      ASSERT_EQ(Simd().stream_ietf_ext(out, len, nonce_, key_), 0);
    });
    ASSERT_EQ(ref_ietf, simd_ietf) << "IETF ChaCha20 keystream, length " << len;
  }
}

TEST_F(ChaCha20Simd128, InPlaceEqualsOutOfPlace) {
  for (size_t len : {1u, 63u, 64u, 65u, 192u, 193u, 255u, 256u, 257u, 511u, 1024u, 1100u}) {
    std::vector<unsigned char> out(len);
    ASSERT_EQ(Simd().stream_ietf_ext_xor_ic(out.data(), message_.data(), len, nonce_, 1, key_), 0);
    std::vector<unsigned char> in_place(message_.begin(),
                                        message_.begin() + static_cast<long>(len));
    ASSERT_EQ(Simd().stream_ietf_ext_xor_ic(in_place.data(), in_place.data(), len, nonce_, 1, key_),
              0);
    EXPECT_EQ(in_place, out) << "length " << len;
    std::vector<unsigned char> in_place_djb(message_.begin(),
                                            message_.begin() + static_cast<long>(len));
    std::vector<unsigned char> out_djb(len);
    ASSERT_EQ(Simd().stream_xor_ic(out_djb.data(), message_.data(), len, nonce_, 9, key_), 0);
    ASSERT_EQ(Simd().stream_xor_ic(in_place_djb.data(), in_place_djb.data(), len, nonce_, 9, key_),
              0);
    EXPECT_EQ(in_place_djb, out_djb) << "length " << len;
  }
}

std::vector<unsigned char> Hex(const std::string& hex) {
  std::vector<unsigned char> out(hex.size() / 2);
  size_t n = 0;
  EXPECT_EQ(sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &n, nullptr),
            0);
  out.resize(n);
  return out;
}

// RFC 8439 section 2.4.2 through the public API (the dispatch in this build).
TEST_F(ChaCha20Simd128, PublicApiMatchesRfc8439Encryption) {
  const auto key = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const auto nonce = Hex("000000000000004a00000000");
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
      "the future, sunscreen would be it.";
  const auto expected = Hex(
      "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab"
      "8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e"
      "52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d");
  std::vector<unsigned char> out(plaintext.size());
  ASSERT_EQ(crypto_stream_chacha20_ietf_xor_ic(
                out.data(), reinterpret_cast<const unsigned char*>(plaintext.data()),
                plaintext.size(), nonce.data(), 1, key.data()),
            0);
  EXPECT_EQ(out, expected);
}

// RFC 8439 section 2.3.2: the keystream block with counter 1, through the
// public API (64 bytes: the one-block path).
TEST_F(ChaCha20Simd128, PublicApiMatchesRfc8439Block) {
  const auto key = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const auto nonce = Hex("000000090000004a00000000");
  const auto expected = Hex(
      "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
      "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
  std::vector<unsigned char> zeros(64, 0), out(64);
  ASSERT_EQ(
      crypto_stream_chacha20_ietf_xor_ic(out.data(), zeros.data(), 64, nonce.data(), 1, key.data()),
      0);
  EXPECT_EQ(out, expected);
}

}  // namespace
