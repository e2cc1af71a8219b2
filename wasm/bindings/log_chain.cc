// SPDX-License-Identifier: Apache-2.0
// Signing log events from JS and the per-author chains they continue
// (core/log/event_builder.h, event.h; docs/spec/log.md §6;
// wasm/package/src/log-chain.ts is the caller). A chain set is kept by
// handle; signing reads the event's fields as JSON (UTF-8 bytes in a
// region, EventFieldsFromJson), takes its time from the JS clock and its
// salt from the platform CSPRNG.
#include "wasm/bindings/log_chain.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/codec/base64url.h"
#include "core/identity/identity.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/event_builder.h"
#include "core/log/merkle.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

HandleTable<tlog::AuthorChains>& AuthorChainsTable() {
  static HandleTable<tlog::AuthorChains> table;
  return table;
}

namespace {

// No arguments. num = the handle of an empty chain set.
int LogChainsNew() {
  Output& out = BeginCall();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      AuthorChainsTable().Add(std::make_unique<tlog::AuthorChains>(), "chains"));
  out.SetNum(handle);
  return Ok();
}

// 0 chains (u32), 1 encoded event (region). ParseEvent, then
// AuthorChains::Append (LOG_ENTRY_MISSING, LOG_REORDERED,
// LOG_ENTRY_MODIFIED); the signature is not checked here.
int LogChainsAppend(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::AuthorChains * chains,
                              AuthorChainsTable().Get(args.U32(0), "chains"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(1)));
  return out.Finish(chains->Append(event));
}

// 0 chains (u32), 1 author key id (base64url text). num = the seq of the author's
// next event; slot 0 = its prev (32 bytes); num of authors in slot 1 (u32
// word).
int LogChainsNext(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::AuthorChains* chains,
                              AuthorChainsTable().Get(args.U32(0), "chains"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes author, Base64UrlDecode(args.Text(1)));
  auto [seq, prev] = chains->Next(author);
  out.SetNum(static_cast<double>(seq));
  out.Set(kSlot0, std::move(prev));
  out.Set(kSlot1, WordBytes({static_cast<uint32_t>(chains->authors())}));
  return Ok();
}

// 0 chains (u32).
int LogChainsFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(AuthorChainsTable().Remove(args.U32(0), "chains"));
}

// 0 author identity (u32), 1 chains (u32), 2 fields (region, JSON UTF-8),
// 3 now (f64). SignNewEvent with the platform CSPRNG. Kept result: num =
// seq, millis = time; slot 0 = the encoded event, 1 = a view of the secret
// 32-byte salt (JS copies it and calls _release()), 2 = the author key id,
// 3 = the event's hash, 4 = its log entry, 5 = the entry's leaf hash.
int LogEventSign(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* author, Identities().Get(args.U32(0), "author"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::AuthorChains * chains,
                              AuthorChainsTable().Get(args.U32(1), "options.chains"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "options.now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::EventFields fields,
                              tlog::EventFieldsFromJson(args.Text(2)));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::NewEvent made,
                              tlog::SignNewEvent(*author, fields, *chains, SystemRng(), clock));
  const tlog::NewEvent& kept = out.Keep(std::move(made));
  Bytes entry = tlog::EventEntry(kept.event);
  out.SetNum(static_cast<double>(kept.event.event.seq));
  out.SetMillis(kept.event.event.time);
  out.SetView(kSlot0, kept.event.encoded);
  out.SetView(kSlot1, RevealSecret(kept.salt));
  out.SetView(kSlot2, kept.event.event.author);
  out.Set(kSlot3, kept.event.Hash());
  out.Set(kSlot5, tlog::LeafHash(entry));
  out.Set(kSlot4, std::move(entry));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_chain) {
  using namespace medseal::wasm;
  emscripten::function("_logChainsNew", &LogChainsNew);
  emscripten::function("_logChainsAppend", &LogChainsAppend);
  emscripten::function("_logChainsNext", &LogChainsNext);
  emscripten::function("_logChainsFree", &LogChainsFree);
  emscripten::function("_logEventSign", &LogEventSign);
}
