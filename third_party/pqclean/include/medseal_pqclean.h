// SPDX-License-Identifier: Apache-2.0
// The one header through which core reaches PQClean (third_party/pqclean):
// ML-KEM-768 (kem.h, with the deterministic entry points), ML-DSA-44
// (api.h) and FIPS 202 (SHA-3/SHAKE), all declared with C linkage (PQClean's
// headers have no extern "C" guards) and with fips202's global symbols
// renamed (medseal_pqclean_names.h). Only core/crypto includes it.
#ifndef MEDSEAL_PQCLEAN_H_
#define MEDSEAL_PQCLEAN_H_

#include <stddef.h>
#include <stdint.h>

#include "medseal_pqclean_names.h"

#ifdef __cplusplus
extern "C" {
#endif
#include "common/fips202.h"
#include "crypto_kem/ml-kem-768/clean/kem.h"
#include "crypto_sign/ml-dsa-44/clean/api.h"
// common/randombytes.h maps randombytes() to this name; randombytes_hook.c
// defines it to hand out the bytes of the current scope, which core opens
// (core/crypto/internal/pq_random.h) with bytes drawn from its injected Rng.
int PQCLEAN_randombytes(uint8_t* output, size_t n);
// Opens a scope: PQClean's requests consume `bytes` in order (aborts if a
// scope is already open). `bytes` must stay valid until the scope ends.
void medseal_pqclean_random_begin(const uint8_t* bytes, size_t n);
// How many bytes of the open scope PQClean has not consumed yet (0 outside
// a scope).
size_t medseal_pqclean_random_remaining(void);
// Closes the scope; returns how many bytes were not consumed.
size_t medseal_pqclean_random_end(void);
#ifdef __cplusplus
}
#endif

#endif  // MEDSEAL_PQCLEAN_H_
