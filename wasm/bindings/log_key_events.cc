// SPDX-License-Identifier: Apache-2.0
// Key rotations and revocations as log events (core/log/key_events.h;
// docs/spec/log.md §9.5; wasm/package/src/log-key-events.ts is the caller):
// a key-chain link becomes a rotate event signed by the old key, a
// revocation a revoke event signed by its signer, so that KeyDirectory
// applies them; and a peer checks a logged event against the link or
// revocation bytes it fetched.
#include <emscripten/bind.h>

#include <cstdint>
#include <utility>

#include "core/base/status.h"
#include "core/group/key_chain.h"
#include "core/identity/identity.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/key_events.h"
#include "core/log/merkle.h"
#include "wasm/bindings/log_chain.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// A signed event as the package's SignedLogEvent wants it: num = seq,
// millis = time; slot 0 = the encoded event, 1 = its type's name, 2 = the
// author key id, 3 = the
// event's hash, 4 = its log entry, 5 = the entry's leaf hash.
int PublishEvent(Output& out, Result<tlog::SignedEvent> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, std::move(made));
  const tlog::SignedEvent& kept = out.Keep(std::move(event));
  Bytes entry = tlog::EventEntry(kept);
  out.SetNum(static_cast<double>(kept.event.seq));
  out.SetMillis(kept.event.time);
  out.SetView(kSlot0, kept.encoded);
  out.SetView(kSlot1, tlog::EventTypeName(kept.event.type));
  out.SetView(kSlot2, kept.event.author);
  out.Set(kSlot3, kept.Hash());
  out.Set(kSlot5, tlog::LeafHash(entry));
  out.Set(kSlot4, std::move(entry));
  return Ok();
}

// 0 old key's identity (u32), 1 the link (region), 2 chains (u32).
// RotationEvent; the chains are read, not advanced (the caller appends).
int LogRotationEvent(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* old_key,
                              Identities().Get(args.U32(0), "oldKey"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::AuthorChains* chains,
                              AuthorChainsTable().Get(args.U32(2), "options.chains"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, group::KeyLink link, group::ParseKeyLink(args.Bytes(1)));
  return PublishEvent(out, tlog::RotationEvent(*old_key, link, *chains));
}

// 0 signer's identity (u32), 1 the revocation (region), 2 chains (u32).
// RevocationEvent; the chains are read, not advanced.
int LogRevocationEvent(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* signer, Identities().Get(args.U32(0), "signer"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::AuthorChains* chains,
                              AuthorChainsTable().Get(args.U32(2), "options.chains"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, group::KeyRevocation revocation,
                              group::ParseKeyRevocation(args.Bytes(1)));
  return PublishEvent(out, tlog::RevocationEvent(*signer, revocation, *chains));
}

// 0 the encoded event (region), 1 the link (region). MatchRotationEvent.
int LogMatchRotationEvent(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, group::KeyLink link, group::ParseKeyLink(args.Bytes(1)));
  return out.Finish(tlog::MatchRotationEvent(event, link));
}

// 0 the encoded event (region), 1 the revocation (region).
// MatchRevocationEvent.
int LogMatchRevocationEvent(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, group::KeyRevocation revocation,
                              group::ParseKeyRevocation(args.Bytes(1)));
  return out.Finish(tlog::MatchRevocationEvent(event, revocation));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_key_events) {
  using namespace medseal::wasm;
  emscripten::function("_logRotationEvent", &LogRotationEvent);
  emscripten::function("_logRevocationEvent", &LogRevocationEvent);
  emscripten::function("_logMatchRotationEvent", &LogMatchRotationEvent);
  emscripten::function("_logMatchRevocationEvent", &LogMatchRevocationEvent);
}
