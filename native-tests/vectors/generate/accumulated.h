// SPDX-License-Identifier: Apache-2.0
// The accumulated randomized record test (docs/spec/record.md, "Test
// vectors"): one deterministic RNG drives N seal/open rounds and every sealed
// record is hashed into one BLAKE2b-512 digest. The Node suite implements the
// same algorithm through the npm package; both assert the digest in
// native-tests/vectors/record/accumulated.json.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ACCUMULATED_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ACCUMULATED_H_

#include <sodium.h>

#include <string>
#include <vector>

#include "core/identity/identity.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"

namespace medseal::testing {

inline Result<Bytes> AccumulatedRecordDigest(uint32_t iterations) {
  constexpr UnixMillis kCreated = 1700000000000;
  ChaChaRng rng(Bytes(32, 0));
  auto make = [&](uint8_t b, const char* name, const char* role) {
    return Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, b)), name, role, kCreated);
  };
  MEDSEAL_ASSIGN_OR_RETURN(Identity sender, make(1, "Patient P", "patient"));
  MEDSEAL_ASSIGN_OR_RETURN(Identity r1, make(2, "Dr. C", "clinician"));
  MEDSEAL_ASSIGN_OR_RETURN(Identity r2, make(3, "Nurse N", "nurse"));
  MEDSEAL_ASSIGN_OR_RETURN(Identity r3, make(4, "Outsider O", "clinician"));
  std::vector<PublicCard> all{r1.card(), r2.card(), r3.card()};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 64);
  for (uint32_t i = 0; i < iterations; ++i) {
    uint8_t len_bytes[2];
    rng.Fill(len_bytes, 2);
    size_t len = (len_bytes[0] | (len_bytes[1] << 8)) % 2048;
    testing::PayloadData p{"application/octet-stream", "r" + std::to_string(i), "Binary",
                           Bytes(len)};
    rng.Fill(p.body.data(), len);
    FixedClock clock(kCreated + i);
    std::span<const PublicCard> to(all.data(), 1 + i % 3);
    MEDSEAL_ASSIGN_OR_RETURN(SealedRecord r, SealRecord(sender, to, p, rng, clock));
    Bytes bin = EncodeRecordBinary(r);
    crypto_generichash_update(&state, bin.data(), bin.size());
    MEDSEAL_ASSIGN_OR_RETURN(SealedRecord parsed, ParseRecordBinary(bin));
    MEDSEAL_ASSIGN_OR_RETURN(OpenedPayload opened, OpenRecord(parsed, r1, sender.card()));
    if (!testing::SamePayload(opened, p) ||
        opened.created() != kCreated + static_cast<UnixMillis>(i)) {
      return Error(ErrorCode::kInternal, "accumulated: round trip mismatch");
    }
  }
  Bytes digest(64);
  crypto_generichash_final(&state, digest.data(), digest.size());
  return digest;
}

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ACCUMULATED_H_
