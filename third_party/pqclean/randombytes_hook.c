// SPDX-License-Identifier: Apache-2.0
// PQCLEAN_randombytes for medseal: PQClean draws all its randomness through
// this one function (common/randombytes.h). medseal's randomness is
// injected, so this hands out bytes that the caller (core/crypto, through
// medseal_pqclean_random_begin) drew from its Rng before the PQClean call.
// A request outside such a scope, or for more bytes than were provided, is
// a bug in medseal, not bad data: the process stops rather than return
// predictable bytes. Single-threaded use per thread (_Thread_local).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medseal_pqclean.h"

// _Thread_local is C11; the PQClean sources build as C99 with -Wpedantic,
// and __extension__ keeps that warning off these three declarations.
__extension__ static _Thread_local const uint8_t* g_next = NULL;
__extension__ static _Thread_local size_t g_remaining = 0;
__extension__ static _Thread_local int g_active = 0;

static void medseal_pqclean_random_bug(const char* what) {
  fprintf(stderr, "medseal pqclean randomness: %s\n", what);
  abort();
}

void medseal_pqclean_random_begin(const uint8_t* bytes, size_t n) {
  if (g_active) medseal_pqclean_random_bug("a scope is already open");
  g_next = bytes;
  g_remaining = n;
  g_active = 1;
}

size_t medseal_pqclean_random_remaining(void) { return g_remaining; }

size_t medseal_pqclean_random_end(void) {
  const size_t left = g_remaining;
  g_next = NULL;
  g_remaining = 0;
  g_active = 0;
  return left;
}

int PQCLEAN_randombytes(uint8_t* output, size_t n) {
  if (!g_active) medseal_pqclean_random_bug("request outside a scope");
  if (n > g_remaining) medseal_pqclean_random_bug("request beyond the bytes provided");
  if (n == 0) return 0;  // g_next may be NULL for an empty scope
  memcpy(output, g_next, n);
  g_next += n;
  g_remaining -= n;
  return 0;
}
