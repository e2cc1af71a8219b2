// SPDX-License-Identifier: Apache-2.0
// The key directory (core/log/directory.h; docs/spec/log.md §9;
// wasm/package/src/log-directory.ts is the caller): a KeyDirectory fed the
// log's entries in order (cards, rotations, revocations) and asked for the
// card under a key id, and a CardWatch that reports cards in a watched name
// or role that the device did not publish. Both kept by handle; indexes
// are u64 as two u32 slots (high word first); structured results cross as
// JSON text.
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "core/base/status.h"
#include "core/codec/base64url.h"
#include "core/identity/card.h"
#include "core/log/bindings_support.h"
#include "core/log/directory.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<tlog::KeyDirectory>& Directories() {
  static HandleTable<tlog::KeyDirectory> table;
  return table;
}

HandleTable<tlog::CardWatch>& Watches() {
  static HandleTable<tlog::CardWatch> table;
  return table;
}

uint64_t U64(const ArgReader& args, uint32_t slot) {
  return (uint64_t{args.U32(slot)} << 32) | args.U32(slot + 1);
}

// No arguments. num = the handle of an empty directory.
int LogDirectoryNew() {
  Output& out = BeginCall();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle, Directories().Add(std::make_unique<tlog::KeyDirectory>(), "directory"));
  out.SetNum(handle);
  return Ok();
}

// 0 directory (u32), 1-2 index (u64), 3 entry (region). ApplyEntry; num =
// the number of keys known after it.
int LogDirectoryApplyEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::KeyDirectory * dir,
                              Directories().Get(args.U32(0), "directory"));
  const Status applied = dir->ApplyEntry(U64(args, 1), args.Bytes(3));
  out.SetNum(static_cast<double>(dir->size()));
  return out.Finish(applied);
}

// 0 directory (u32), 1 key id (base64url text). Slot 0 = the card's JSON.
int LogDirectoryLookup(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::KeyDirectory* dir,
                              Directories().Get(args.U32(0), "directory"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes id, Base64UrlDecode(args.Text(1)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, PublicCard card, dir->Lookup(id));
  out.Set(kSlot0, card.ToJson());
  return Ok();
}

// As LogDirectoryLookup, for the key at the end of the rotation chain.
int LogDirectoryCurrent(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::KeyDirectory* dir,
                              Directories().Get(args.U32(0), "directory"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes id, Base64UrlDecode(args.Text(1)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, PublicCard card, dir->Current(id));
  out.Set(kSlot0, card.ToJson());
  return Ok();
}

// 0 directory (u32), 1 key id (base64url text). Slot 0 = DirectoryKeyJson.
int LogDirectoryKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::KeyDirectory* dir,
                              Directories().Get(args.U32(0), "directory"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes id, Base64UrlDecode(args.Text(1)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, tlog::DirectoryKeyJson(*dir, id));
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 directory (u32).
int LogDirectoryFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Directories().Remove(args.U32(0), "directory"));
}

// 0 watch (JSON text: CardWatchFromJson). num = its handle.
int LogCardWatchNew(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::CardWatch watch, tlog::CardWatchFromJson(args.Text(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Watches().Add(std::make_unique<tlog::CardWatch>(std::move(watch)), "watch"));
  out.SetNum(handle);
  return Ok();
}

// 0 watch (u32), 1 key id (base64url text).
int LogCardWatchAddOwnKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::CardWatch * watch, Watches().Get(args.U32(0), "watch"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes id, Base64UrlDecode(args.Text(1)));
  watch->AddOwnKey(id);
  return Ok();
}

// 0 watch (u32), 1-2 index (u64), 3 entry (region). Observe (entries that
// are no card, or do not parse, are not the watch's concern).
int LogCardWatchObserve(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::CardWatch * watch, Watches().Get(args.U32(0), "watch"));
  watch->Observe(U64(args, 1), args.Bytes(3));
  return Ok();
}

// 0 watch (u32). Slot 0 = the findings (CardFindingsJson).
int LogCardWatchFindings(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::CardWatch* watch,
                              Watches().Get(args.U32(0), "watch"));
  out.Set(kSlot0, tlog::CardFindingsJson(watch->findings()));
  return Ok();
}

// 0 watch (u32). Fails with ToStatus() (UNEXPECTED_CARD) when the watch has
// a finding.
int LogCardWatchCheck(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::CardWatch* watch,
                              Watches().Get(args.U32(0), "watch"));
  return out.Finish(watch->ToStatus());
}

// 0 watch (u32).
int LogCardWatchFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Watches().Remove(args.U32(0), "watch"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_directory) {
  using namespace medseal::wasm;
  emscripten::function("_logDirectoryNew", &LogDirectoryNew);
  emscripten::function("_logDirectoryApplyEntry", &LogDirectoryApplyEntry);
  emscripten::function("_logDirectoryLookup", &LogDirectoryLookup);
  emscripten::function("_logDirectoryCurrent", &LogDirectoryCurrent);
  emscripten::function("_logDirectoryKey", &LogDirectoryKey);
  emscripten::function("_logDirectoryFree", &LogDirectoryFree);
  emscripten::function("_logCardWatchNew", &LogCardWatchNew);
  emscripten::function("_logCardWatchAddOwnKey", &LogCardWatchAddOwnKey);
  emscripten::function("_logCardWatchObserve", &LogCardWatchObserve);
  emscripten::function("_logCardWatchFindings", &LogCardWatchFindings);
  emscripten::function("_logCardWatchCheck", &LogCardWatchCheck);
  emscripten::function("_logCardWatchFree", &LogCardWatchFree);
}
