// SPDX-License-Identifier: Apache-2.0
// An owning stand-in for RecordPayload (a set of views) in tests and the
// vector generator, which build payloads, keep them and compare against them.
#ifndef MEDSEAL_NATIVE_TESTS_SUPPORT_PAYLOAD_DATA_H_
#define MEDSEAL_NATIVE_TESTS_SUPPORT_PAYLOAD_DATA_H_

#include <string>

#include "core/base/bytes.h"
#include "core/record/payload.h"

namespace medseal::testing {

struct PayloadData {
  std::string content_type;
  std::string record_id;
  std::string resource_type;
  Bytes body;

  // Views of this object's fields: valid while it lives unchanged.
  operator RecordPayload() const {  // NOLINT(google-explicit-constructor): test convenience
    return RecordPayload{content_type, record_id, resource_type, body};
  }
};

// True if `opened` carries exactly `expected`'s fields.
inline bool SamePayload(const OpenedPayload& opened, const PayloadData& expected) {
  ByteView body = opened.body();
  return opened.content_type() == expected.content_type &&
         opened.record_id() == expected.record_id &&
         opened.resource_type() == expected.resource_type &&
         Bytes(body.begin(), body.end()) == expected.body;
}

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_SUPPORT_PAYLOAD_DATA_H_
