// SPDX-License-Identifier: Apache-2.0
// Shared with the testing module (testing.cc), which seals with an RNG of
// its own choosing through the same slots.
#ifndef MEDSEAL_WASM_BINDINGS_RECORD_H_
#define MEDSEAL_WASM_BINDINGS_RECORD_H_

#include "core/base/random.h"
#include "core/record/record.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

// Slots: 0 sender identity (u32); 1 recipients (region: u32 card handles);
// 2 content type, 3 record id, 4 resource type, 5 body (regions);
// 6 encoding (u32, core's RecordEncoding); 7 now (f64). Slot 0 of the
// output = the sealed record in that encoding (JSON as UTF-8 text).
int SealRecordWith(Output& out, const ArgReader& args, Rng& rng);

// Version 2. Slots: 0 sender identity (u32); 1 recipients (region: u32 card
// handles); 2 vault keys (region: u32 vault key handles); 3 purposes and
// consent hashes (region: JSON text, core's RecordContextFromJson);
// 4 content type, 5 record id, 6 resource type, 7 body (regions);
// 8 encoding (u32); 9 now (f64). Slot 0 of the output = the sealed record.
int SealRecordV2With(Output& out, const ArgReader& args, Rng& rng);

// The vault keys JS holds (VaultKey objects of wasm/package/src/record.ts).
HandleTable<VaultKey>& VaultKeys();

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_BINDINGS_RECORD_H_
