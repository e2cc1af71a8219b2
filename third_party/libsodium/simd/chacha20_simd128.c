// SPDX-License-Identifier: Apache-2.0
/*
 * ChaCha20 for WebAssembly SIMD (wasm_simd128.h), plugged into libsodium
 * 1.0.18's ChaCha20 dispatch (crypto_stream/chacha20/stream_chacha20.c) in
 * the wasm build only; see ../MedsealSodiumWasm.cmake and ../README.md.
 *
 * Why this file exists: libsodium's own vector ChaCha20
 * (dolbeau/chacha20_dolbeau-ssse3.c, u4.h) compiled through Emscripten's
 * SSE-to-wasm headers is ~1.9x faster than the scalar reference, but
 * Debian's clang 14 miscompiles it at -O1 and above: the 64-bit block
 * counter it reloads from the context (x[12..13]) is folded into a
 * v128.load64_splat that is scheduled after the i64.store of counter + 4, so
 * the 4-block path produces the keystream of counters 4..7 instead of 0..3
 * (docs/performance.md). This implementation is the same 4-way "one vector
 * per state word, one lane per block" layout written with the native wasm
 * intrinsics, arranged so that nothing the compiler could reorder comes
 * from memory: the state lives in locals, the four lane counters are built
 * from a 64-bit local with wasm_i32x4_make, and the context is never
 * written back.
 *
 * Semantics are those of libsodium's reference implementation
 * (ref/chacha20_ref.c), which it must match byte for byte:
 *   - state words 12 and 13 form one 64-bit little-endian block counter
 *     (low word 12). For the original 64-bit-nonce ChaCha20 that is the
 *     specified counter; for the IETF variant word 13 is the first nonce
 *     word and the reference carries into it when the 32-bit counter wraps,
 *     and so does this code (libsodium's public API refuses lengths that
 *     would wrap; crypto_stream_chacha20_ietf_ext_xor_ic does not check);
 *   - zero-length calls return 0 and touch nothing;
 *   - every temporary that held keystream or key material is wiped.
 *
 * Four blocks (256 bytes) are computed per iteration, one vector per state
 * word; a tail of up to three blocks is computed one block at a time, one
 * vector per state row; a final partial block goes through a stack buffer
 * that is wiped.
 * Tested in wasm against the scalar reference (every length 0..1100 at
 * several counters, including across the 32-bit wrap), against RFC 8439 /
 * draft-irtf-cfrg-xchacha known answers, and through every
 * XChaCha20-Poly1305 and ChaCha20-Poly1305 Wycheproof case
 * (native-tests, built for wasm; wasm/package tests).
 */

#include <stdint.h>
#include <string.h>
#include <wasm_simd128.h>

#include "core.h"
#include "crypto_stream/chacha20/stream_chacha20.h"
#include "crypto_stream_chacha20.h"
#include "private/common.h"
#include "utils.h"

#ifndef __wasm_simd128__
#error "chacha20_simd128.c must be compiled with -msimd128"
#endif

typedef struct medseal_chacha_state {
  uint32_t w[12];   /* constants, key */
  uint64_t counter; /* words 12 (low) and 13 (high) */
  uint32_t w14;
  uint32_t w15;
} medseal_chacha_state;

static void state_init(medseal_chacha_state *st, const unsigned char *k) {
  st->w[0] = 0x61707865;
  st->w[1] = 0x3320646e;
  st->w[2] = 0x79622d32;
  st->w[3] = 0x6b206574;
  st->w[4] = LOAD32_LE(k + 0);
  st->w[5] = LOAD32_LE(k + 4);
  st->w[6] = LOAD32_LE(k + 8);
  st->w[7] = LOAD32_LE(k + 12);
  st->w[8] = LOAD32_LE(k + 16);
  st->w[9] = LOAD32_LE(k + 20);
  st->w[10] = LOAD32_LE(k + 24);
  st->w[11] = LOAD32_LE(k + 28);
}

/* Original ChaCha20: 64-bit counter, 64-bit nonce (words 14, 15). */
static void state_set_djb(medseal_chacha_state *st, const unsigned char *n, uint64_t ic) {
  st->counter = ic;
  st->w14 = LOAD32_LE(n + 0);
  st->w15 = LOAD32_LE(n + 4);
}

/* IETF ChaCha20: 32-bit counter (word 12), 96-bit nonce (words 13..15). */
static void state_set_ietf(medseal_chacha_state *st, const unsigned char *n, uint32_t ic) {
  st->counter = (uint64_t)ic | ((uint64_t)LOAD32_LE(n + 0) << 32);
  st->w14 = LOAD32_LE(n + 4);
  st->w15 = LOAD32_LE(n + 8);
}

#define ROTL16(v) wasm_i8x16_shuffle((v), (v), 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)
#define ROTL8(v) wasm_i8x16_shuffle((v), (v), 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14)
#define ROTL(v, n) wasm_v128_or(wasm_i32x4_shl((v), (n)), wasm_u32x4_shr((v), 32 - (n)))

#define QR(a, b, c, d)                 \
  do {                                 \
    a = wasm_i32x4_add(a, b);          \
    d = ROTL16(wasm_v128_xor(d, a));   \
    c = wasm_i32x4_add(c, d);          \
    b = ROTL(wasm_v128_xor(b, c), 12); \
    a = wasm_i32x4_add(a, b);          \
    d = ROTL8(wasm_v128_xor(d, a));    \
    c = wasm_i32x4_add(c, d);          \
    b = ROTL(wasm_v128_xor(b, c), 7);  \
  } while (0)

/*
 * Transposes four state-word vectors (one lane per block) into the 16-byte
 * pieces of the four blocks and XORs them into 'out' at byte offset
 * 'word_offset' of each 64-byte block: out[64 j + word_offset ..] ^= block j.
 */
#define STORE_QUAD(out, in, word_offset, a, b, c, d)                                \
  do {                                                                              \
    const v128_t t0 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);                         \
    const v128_t t1 = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);                         \
    const v128_t t2 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);                         \
    const v128_t t3 = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);                         \
    const v128_t b0 = wasm_i64x2_shuffle(t0, t1, 0, 2);                             \
    const v128_t b1 = wasm_i64x2_shuffle(t0, t1, 1, 3);                             \
    const v128_t b2 = wasm_i64x2_shuffle(t2, t3, 0, 2);                             \
    const v128_t b3 = wasm_i64x2_shuffle(t2, t3, 1, 3);                             \
    wasm_v128_store((out) + (word_offset),                                          \
                    wasm_v128_xor(b0, wasm_v128_load((in) + (word_offset))));       \
    wasm_v128_store((out) + 64 + (word_offset),                                     \
                    wasm_v128_xor(b1, wasm_v128_load((in) + 64 + (word_offset))));  \
    wasm_v128_store((out) + 128 + (word_offset),                                    \
                    wasm_v128_xor(b2, wasm_v128_load((in) + 128 + (word_offset)))); \
    wasm_v128_store((out) + 192 + (word_offset),                                    \
                    wasm_v128_xor(b3, wasm_v128_load((in) + 192 + (word_offset)))); \
  } while (0)

/*
 * out[0..256) = in[0..256) XOR the keystream blocks counter .. counter + 3.
 * 'in' and 'out' may be the same buffer (each 16-byte piece is loaded before
 * it is stored, and no piece is read after another one is written over it).
 */
static void xor_4blocks(const medseal_chacha_state *st, uint64_t counter, const unsigned char *in,
                        unsigned char *out) {
  const uint64_t c0 = counter;
  const uint64_t c1 = counter + 1;
  const uint64_t c2 = counter + 2;
  const uint64_t c3 = counter + 3;
  const v128_t o0 = wasm_i32x4_splat((int32_t)st->w[0]);
  const v128_t o1 = wasm_i32x4_splat((int32_t)st->w[1]);
  const v128_t o2 = wasm_i32x4_splat((int32_t)st->w[2]);
  const v128_t o3 = wasm_i32x4_splat((int32_t)st->w[3]);
  const v128_t o4 = wasm_i32x4_splat((int32_t)st->w[4]);
  const v128_t o5 = wasm_i32x4_splat((int32_t)st->w[5]);
  const v128_t o6 = wasm_i32x4_splat((int32_t)st->w[6]);
  const v128_t o7 = wasm_i32x4_splat((int32_t)st->w[7]);
  const v128_t o8 = wasm_i32x4_splat((int32_t)st->w[8]);
  const v128_t o9 = wasm_i32x4_splat((int32_t)st->w[9]);
  const v128_t o10 = wasm_i32x4_splat((int32_t)st->w[10]);
  const v128_t o11 = wasm_i32x4_splat((int32_t)st->w[11]);
  const v128_t o12 = wasm_i32x4_make((int32_t)(uint32_t)c0, (int32_t)(uint32_t)c1,
                                     (int32_t)(uint32_t)c2, (int32_t)(uint32_t)c3);
  const v128_t o13 = wasm_i32x4_make((int32_t)(uint32_t)(c0 >> 32), (int32_t)(uint32_t)(c1 >> 32),
                                     (int32_t)(uint32_t)(c2 >> 32), (int32_t)(uint32_t)(c3 >> 32));
  const v128_t o14 = wasm_i32x4_splat((int32_t)st->w14);
  const v128_t o15 = wasm_i32x4_splat((int32_t)st->w15);
  v128_t x0 = o0, x1 = o1, x2 = o2, x3 = o3, x4 = o4, x5 = o5, x6 = o6, x7 = o7, x8 = o8, x9 = o9,
         x10 = o10, x11 = o11, x12 = o12, x13 = o13, x14 = o14, x15 = o15;
  int i;

  for (i = 0; i < 10; i++) {
    QR(x0, x4, x8, x12);
    QR(x1, x5, x9, x13);
    QR(x2, x6, x10, x14);
    QR(x3, x7, x11, x15);
    QR(x0, x5, x10, x15);
    QR(x1, x6, x11, x12);
    QR(x2, x7, x8, x13);
    QR(x3, x4, x9, x14);
  }
  x0 = wasm_i32x4_add(x0, o0);
  x1 = wasm_i32x4_add(x1, o1);
  x2 = wasm_i32x4_add(x2, o2);
  x3 = wasm_i32x4_add(x3, o3);
  x4 = wasm_i32x4_add(x4, o4);
  x5 = wasm_i32x4_add(x5, o5);
  x6 = wasm_i32x4_add(x6, o6);
  x7 = wasm_i32x4_add(x7, o7);
  x8 = wasm_i32x4_add(x8, o8);
  x9 = wasm_i32x4_add(x9, o9);
  x10 = wasm_i32x4_add(x10, o10);
  x11 = wasm_i32x4_add(x11, o11);
  x12 = wasm_i32x4_add(x12, o12);
  x13 = wasm_i32x4_add(x13, o13);
  x14 = wasm_i32x4_add(x14, o14);
  x15 = wasm_i32x4_add(x15, o15);

  STORE_QUAD(out, in, 0, x0, x1, x2, x3);
  STORE_QUAD(out, in, 16, x4, x5, x6, x7);
  STORE_QUAD(out, in, 32, x8, x9, x10, x11);
  STORE_QUAD(out, in, 48, x12, x13, x14, x15);
}

/*
 * out[0..64) = in[0..64) XOR the keystream block 'counter', one row of the
 * state per vector (the diagonal round rotates rows b, c, d into place).
 * Costs about a third of xor_4blocks, so short tails use it.
 */
static void xor_1block(const medseal_chacha_state *st, uint64_t counter, const unsigned char *in,
                       unsigned char *out) {
  const v128_t oa = wasm_v128_load(&st->w[0]);
  const v128_t ob = wasm_v128_load(&st->w[4]);
  const v128_t oc = wasm_v128_load(&st->w[8]);
  const v128_t od = wasm_i32x4_make((int32_t)(uint32_t)counter, (int32_t)(uint32_t)(counter >> 32),
                                    (int32_t)st->w14, (int32_t)st->w15);
  v128_t a = oa, b = ob, c = oc, d = od;
  int i;

  for (i = 0; i < 10; i++) {
    QR(a, b, c, d);
    b = wasm_i32x4_shuffle(b, b, 1, 2, 3, 0);
    c = wasm_i32x4_shuffle(c, c, 2, 3, 0, 1);
    d = wasm_i32x4_shuffle(d, d, 3, 0, 1, 2);
    QR(a, b, c, d);
    b = wasm_i32x4_shuffle(b, b, 3, 0, 1, 2);
    c = wasm_i32x4_shuffle(c, c, 2, 3, 0, 1);
    d = wasm_i32x4_shuffle(d, d, 1, 2, 3, 0);
  }
  wasm_v128_store(out + 0, wasm_v128_xor(wasm_i32x4_add(a, oa), wasm_v128_load(in + 0)));
  wasm_v128_store(out + 16, wasm_v128_xor(wasm_i32x4_add(b, ob), wasm_v128_load(in + 16)));
  wasm_v128_store(out + 32, wasm_v128_xor(wasm_i32x4_add(c, oc), wasm_v128_load(in + 32)));
  wasm_v128_store(out + 48, wasm_v128_xor(wasm_i32x4_add(d, od), wasm_v128_load(in + 48)));
}

/*
 * c[0..len) = m[0..len) XOR the keystream starting at block st->counter:
 * four blocks at a time, then a tail of up to 192 bytes one block at a
 * time, or a longer tail as four blocks into a buffer. A partial block goes
 * through a stack buffer that is wiped afterwards.
 */
static void xor_stream(const medseal_chacha_state *st, const unsigned char *m, unsigned char *c,
                       unsigned long long len) {
  uint64_t counter = st->counter;
  unsigned char partial[256];

  while (len >= 256) {
    xor_4blocks(st, counter, m, c);
    counter += 4;
    m += 256;
    c += 256;
    len -= 256;
  }
  if (len > 192) {
    memset(partial, 0, sizeof partial);
    memcpy(partial, m, (size_t)len);
    xor_4blocks(st, counter, partial, partial);
    memcpy(c, partial, (size_t)len);
    sodium_memzero(partial, sizeof partial);
    return;
  }
  while (len >= 64) {
    xor_1block(st, counter, m, c);
    counter++;
    m += 64;
    c += 64;
    len -= 64;
  }
  if (len > 0) {
    memset(partial, 0, 64);
    memcpy(partial, m, (size_t)len);
    xor_1block(st, counter, partial, partial);
    memcpy(c, partial, (size_t)len);
    sodium_memzero(partial, 64);
  }
}

/*
 * The four entry points share one body: set up the state (a 64-bit counter
 * with the 64-bit nonce, or the IETF 32-bit counter with the 96-bit nonce),
 * XOR (m == NULL: a keystream call, which XORs zeros in place) and wipe the
 * state. Zero-length calls touch nothing.
 */
static int run_stream(unsigned char *c, const unsigned char *m, unsigned long long len,
                      const unsigned char *n, const unsigned char *k, int ietf, uint64_t ic) {
  medseal_chacha_state st;

  if (!len) {
    return 0;
  }
  state_init(&st, k);
  if (ietf) {
    state_set_ietf(&st, n, (uint32_t)ic);
  } else {
    state_set_djb(&st, n, ic);
  }
  if (m == NULL) {
    memset(c, 0, (size_t)len);
    m = c;
  }
  xor_stream(&st, m, c, len);
  sodium_memzero(&st, sizeof st);
  return 0;
}

static int stream_simd(unsigned char *c, unsigned long long clen, const unsigned char *n,
                       const unsigned char *k) {
  return run_stream(c, NULL, clen, n, k, 0, 0);
}

static int stream_ietf_ext_simd(unsigned char *c, unsigned long long clen, const unsigned char *n,
                                const unsigned char *k) {
  return run_stream(c, NULL, clen, n, k, 1, 0);
}

static int stream_simd_xor_ic(unsigned char *c, const unsigned char *m, unsigned long long mlen,
                              const unsigned char *n, uint64_t ic, const unsigned char *k) {
  return run_stream(c, m, mlen, n, k, 0, ic);
}

static int stream_ietf_ext_simd_xor_ic(unsigned char *c, const unsigned char *m,
                                       unsigned long long mlen, const unsigned char *n, uint32_t ic,
                                       const unsigned char *k) {
  return run_stream(c, m, mlen, n, k, 1, ic);
}

struct crypto_stream_chacha20_implementation medseal_chacha20_simd128_implementation = {
    SODIUM_C99(.stream =) stream_simd, SODIUM_C99(.stream_ietf_ext =) stream_ietf_ext_simd,
    SODIUM_C99(.stream_xor_ic =) stream_simd_xor_ic,
    SODIUM_C99(.stream_ietf_ext_xor_ic =) stream_ietf_ext_simd_xor_ic};

/*
 * stream_chacha20.c is compiled with sodium_runtime_has_ssse3 renamed to
 * this function (and the SSSE3 implementation's name to the one above), so
 * that its implementation picker selects this code. A module built with
 * -msimd128 does not validate in an engine without SIMD, so when this runs,
 * SIMD is there.
 */
int medseal_wasm_has_simd128(void) { return 1; }
