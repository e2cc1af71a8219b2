// SPDX-License-Identifier: Apache-2.0
// The verifiable log (core/log/): RFC 9162 leaf hashes and proof
// verification, C2SP checkpoints verified under a log policy (kept by
// handle, built one witness at a time), and the log operator a relay runs
// (kept by handle with its last publication). wasm/package/src/log.ts is
// the caller. Tree sizes and indexes are u64: each crosses as two u32 slots,
// the high word first (JS checks that the number is a safe integer).
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/log/bindings_support.h"
#include "core/log/checkpoint.h"
#include "core/log/client.h"
#include "core/log/directory.h"
#include "core/log/entry.h"
#include "core/log/history.h"
#include "core/log/merkle.h"
#include "core/log/note.h"
#include "core/log/operator.h"
#include "core/log/tiles.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

using tlog::LogOperator;
using tlog::LogPolicy;

// An operator and what it published last (read tile by tile).
struct OperatorState {
  explicit OperatorState(LogOperator&& o) : op(std::move(o)) {}
  LogOperator op;
  tlog::LogPublication last;
};

HandleTable<LogPolicy>& Policies() {
  static HandleTable<LogPolicy> table;
  return table;
}

HandleTable<tlog::LogClient>& Clients() {
  static HandleTable<tlog::LogClient> table;
  return table;
}

// Tiles an app fetched (hash tiles and entry bundles by path).
HandleTable<tlog::FetchedTiles>& TileSets() {
  static HandleTable<tlog::FetchedTiles> table;
  return table;
}

HandleTable<OperatorState>& Operators() {
  static HandleTable<OperatorState> table;
  return table;
}

// The u64 in slots `slot` (high word) and `slot` + 1 (low word).
uint64_t U64(const ArgReader& args, uint32_t slot) {
  return (uint64_t{args.U32(slot)} << 32) | args.U32(slot + 1);
}

// A u64 as two little-endian u32 words, the high word first.
medseal::Bytes U64Words(uint64_t value) {
  return WordBytes({static_cast<uint32_t>(value >> 32), static_cast<uint32_t>(value)});
}

// 0 entry (region). Slot 0 = its leaf hash (32 bytes).
int LogLeafHash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot0, tlog::LeafHash(args.Bytes(0)));
  return Ok();
}

// 0-1 index, 2-3 size (u64), 4 leaf hash, 5 proof (concatenated hashes),
// 6 root (regions).
int LogVerifyInclusion(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof, tlog::ParseProof(args.Bytes(5)));
  return out.Finish(
      tlog::VerifyInclusion(U64(args, 0), U64(args, 2), args.Bytes(4), proof, args.Bytes(6)));
}

// 0-1 size1, 2-3 size2 (u64), 4 root1, 5 root2, 6 proof (regions).
int LogVerifyConsistency(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof, tlog::ParseProof(args.Bytes(6)));
  return out.Finish(
      tlog::VerifyConsistency(U64(args, 0), U64(args, 2), args.Bytes(4), args.Bytes(5), proof));
}

// 0 a signed note (region: its bytes, UTF-8 or not; core checks), 1 a
// verifier key (vkey text). Slot 0 = the note's text (what its signatures
// cover) when the key's signature verifies.
int LogVerifyNote(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Note note, tlog::ParseNote(args.Text(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::NoteVerifierKey key, tlog::ParseVerifierKey(args.Text(1)));
  const Status verified = tlog::VerifyNoteSignature(note, key);
  out.Set(kSlot0, std::move(note.text));
  return out.Finish(verified);
}

// 0 card (u32). Slot 0 = its log entry (0x02 || the card's JSON, spec §7).
int LogCardEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  out.Set(kSlot0, tlog::CardEntry(*card));
  return Ok();
}

// 0 the operator's verifier key (vkey text). num = the policy's handle
// (no witnesses, quorum 0); slot 0 = the key's name (the log's origin).
int LogPolicyNew(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  auto policy = std::make_unique<LogPolicy>();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, policy->log_key, tlog::ParseVerifierKey(args.Text(0)));
  const LogPolicy& kept = *policy;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Policies().Add(std::move(policy), "policy"));
  out.SetNum(handle);
  out.SetView(kSlot0, kept.log_key.name);
  return Ok();
}

// 0 policy (u32), 1 a witness's verifier key (vkey text).
int LogPolicyAddWitness(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, LogPolicy * policy, Policies().Get(args.U32(0), "policy"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::NoteVerifierKey key, tlog::ParseVerifierKey(args.Text(1)));
  policy->witnesses.push_back(std::move(key));
  return Ok();
}

// 0 policy (u32), 1 quorum (u32). Sets the quorum and checks the whole
// policy (CheckLogPolicy); JS frees a policy that fails.
int LogPolicyFinish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, LogPolicy * policy, Policies().Get(args.U32(0), "policy"));
  policy->quorum = args.U32(1);
  return out.Finish(tlog::CheckLogPolicy(*policy));
}

// 0 policy (u32).
int LogPolicyFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Policies().Remove(args.U32(0), "policy"));
}

// 0 policy (u32), 1 signed checkpoint note (text). Views of the kept
// result: slot 0 = origin, 1 = root (32 bytes), 2 = the note as received;
// slot 3 = size (u64 words), 4 = the checkpoint body (its extension lines
// after the third); num = the number of witness cosignatures that verified.
int LogVerifyCheckpoint(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const LogPolicy* policy, Policies().Get(args.U32(0), "policy"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::VerifiedCheckpoint verified,
                              tlog::VerifyCheckpoint(args.Text(1), *policy));
  const tlog::VerifiedCheckpoint& kept = out.Keep(std::move(verified));
  out.SetView(kSlot0, kept.checkpoint.origin);
  out.SetView(kSlot1, kept.checkpoint.root);
  out.SetView(kSlot2, kept.note);
  out.Set(kSlot3, U64Words(kept.checkpoint.size));
  out.Set(kSlot4, tlog::FormatCheckpointBody(kept.checkpoint));
  out.SetNum(static_cast<double>(kept.cosignatures.size()));
  return Ok();
}

// 0 policy (u32), 1 signed checkpoint note (text), 2 every entry of the
// log in order, its entry bundles concatenated (region), 3-4 their number
// (u64). VerifyCheckpoint, ParseEntryBundles, then VerifyHistory (spec §8.8): slot
// 0 = entries, 1 = events, 2 = cards, 3 = authors, 4 = break-glass events
// (u64 words each); num = rotations + revocations.
int LogVerifyHistory(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const LogPolicy* policy, Policies().Get(args.U32(0), "policy"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::VerifiedCheckpoint verified,
                              tlog::VerifyCheckpoint(args.Text(1), *policy));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<medseal::Bytes> entries,
                              tlog::ParseEntryBundles(args.Bytes(2), U64(args, 3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::HistorySummary summary,
                              tlog::VerifyHistory(entries, verified));
  out.Set(kSlot0, U64Words(summary.entries));
  out.Set(kSlot1, U64Words(summary.events));
  out.Set(kSlot2, U64Words(summary.cards));
  out.Set(kSlot3, U64Words(summary.authors));
  out.Set(kSlot4, U64Words(summary.break_glass.size()));
  out.SetNum(static_cast<double>(summary.rotations + summary.revocations));
  return Ok();
}

// 0 policy (u32). A client without a checkpoint (LogClient::Create, a copy
// of the policy): num = its handle.
int LogClientNew(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const LogPolicy* policy, Policies().Get(args.U32(0), "policy"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::LogClient client, tlog::LogClient::Create(*policy));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Clients().Add(std::make_unique<tlog::LogClient>(std::move(client)), "client"));
  out.SetNum(handle);
  return Ok();
}

// 0 client (u32). LogClient::SaveStateJson: slot 0 = the state (public
// data: the held checkpoint note and the own entries), JSON text.
int LogClientSaveState(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  out.Set(kSlot0, client->SaveStateJson());
  return Ok();
}

// 0 policy (u32), 1 a saved state (JSON text). LogClient::RestoreStateJson
// (its codes; the held checkpoint is verified again under the policy): num =
// the new client's handle.
int LogClientRestoreState(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const LogPolicy* policy, Policies().Get(args.U32(0), "policy"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::LogClient client,
                              tlog::LogClient::RestoreStateJson(*policy, args.Text(1)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Clients().Add(std::make_unique<tlog::LogClient>(std::move(client)), "client"));
  out.SetNum(handle);
  return Ok();
}

// 0 client (u32), 1 checkpoint note (text), 2 consistency proof from the
// held size (region). LogClient::Update; slot 0 = the held size (u64 words).
int LogClientUpdate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::LogClient * client, Clients().Get(args.U32(0), "client"));
  const Status updated = client->Update(args.Text(1), args.Bytes(2));
  out.Set(kSlot0, U64Words(client->size()));
  return out.Finish(updated);
}

// 0 client (u32); slot 0 = the held size (u64 words).
int LogClientSize(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  out.Set(kSlot0, U64Words(client->size()));
  return Ok();
}

// 0 client (u32), 1-2 index (u64), 3 entry, 4 inclusion proof (regions).
int LogClientVerifyEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof, tlog::ParseProof(args.Bytes(4)));
  return out.Finish(client->VerifyEntry(U64(args, 1), args.Bytes(3), proof));
}

// 0 client (u32), 1-2 index (u64), 3 entry (region).
int LogClientTrackOwnEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::LogClient * client, Clients().Get(args.U32(0), "client"));
  return out.Finish(client->TrackOwnEntry(U64(args, 1), args.Bytes(3)));
}

// 0 client (u32).
int LogClientFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Clients().Remove(args.U32(0), "client"));
}

// 0 the checkpoint origin = the key's name (text), 1 the 32-byte Ed25519
// seed (region; JS wipes it). num = the operator's handle; slot 0 = its
// verifier key (vkey text).
int LogOperatorNew(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, tlog::NoteSigner signer,
      tlog::NoteSigner::FromSeed(args.Text(0), SecretBytes::CopyFrom(args.Bytes(1))));
  auto state = std::make_unique<OperatorState>(LogOperator(std::move(signer)));
  const OperatorState& kept = *state;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Operators().Add(std::move(state), "operator"));
  out.SetNum(handle);
  out.Set(kSlot0, tlog::FormatVerifierKey(kept.op.verifier_key()));
  return Ok();
}

// 0 operator (u32), 1 entry (region). num = its index; slot 0 = its kind
// (one byte); slot 1 = the tree's new size (u64 words).
int LogOperatorAppend(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OperatorState * state, Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::AppendedEntry appended, state->op.Append(args.Bytes(1)));
  out.SetNum(static_cast<double>(appended.index));
  out.Set(kSlot0, medseal::Bytes{appended.kind});
  out.Set(kSlot1, U64Words(state->op.size()));
  return Ok();
}

// 0 operator (u32). Publishes (LogOperator::Publish) and keeps the
// publication for LogOperatorTile: slot 0 = the signed checkpoint note,
// 1 = old size, 2 = size (u64 words); num = the number of tiles.
int LogOperatorPublish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OperatorState * state, Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, state->last, state->op.Publish());
  out.SetView(kSlot0, state->last.checkpoint);
  out.Set(kSlot1, U64Words(state->last.old_size));
  out.Set(kSlot2, U64Words(state->last.size));
  out.SetNum(static_cast<double>(state->last.tiles.size()));
  return Ok();
}

// 0 operator (u32), 1-2 i (u64). Views of tile i of the last publication:
// slot 0 = its path, 1 = its bytes.
int LogOperatorTile(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const OperatorState* state,
                              Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, auto tile, tlog::PublishedTileAt(state->last, U64(args, 1)));
  out.SetView(kSlot0, tile.first);
  out.SetView(kSlot1, tile.second);
  return Ok();
}

// 0 operator (u32). Slot 0 = the signed checkpoint of the current tree
// (nothing recorded as published).
int LogOperatorCheckpoint(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const OperatorState* state,
                              Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string note, state->op.SignedCheckpoint());
  out.Set(kSlot0, std::move(note));
  return Ok();
}

// 0 operator (u32), 1-2 index, 3-4 size (u64). Slot 0 = the proof.
int LogOperatorInclusionProof(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const OperatorState* state,
                              Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof,
                              state->op.InclusionProof(U64(args, 1), U64(args, 3)));
  out.Set(kSlot0, tlog::SerializeProof(proof));
  return Ok();
}

// 0 operator (u32), 1-2 size1, 3-4 size2 (u64). Slot 0 = the proof.
int LogOperatorConsistencyProof(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const OperatorState* state,
                              Operators().Get(args.U32(0), "operator"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof,
                              state->op.ConsistencyProof(U64(args, 1), U64(args, 3)));
  out.Set(kSlot0, tlog::SerializeProof(proof));
  return Ok();
}

// 0 operator (u32).
int LogOperatorFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Operators().Remove(args.U32(0), "operator"));
}

// ---- Tiles ------------------------------------------------------------------

// No arguments. num = the handle of an empty tile set.
int LogTileSetNew() {
  Output& out = BeginCall();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              TileSets().Add(std::make_unique<tlog::FetchedTiles>(), "tiles"));
  out.SetNum(handle);
  return Ok();
}

// 0 tiles (u32), 1 path (text), 2 the tile's bytes (region). FetchedTiles::Add.
int LogTileSetAdd(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::FetchedTiles * tiles,
                              TileSets().Get(args.U32(0), "tiles"));
  return out.Finish(tiles->Add(args.Text(1), args.Bytes(2)));
}

// 0 tiles (u32), 1-2 size (u64). Slot 0 = the root of the tree of `size` leaves.
int LogTileSetRoot(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(0), "tiles"));
  return out.Finish(kSlot0, tiles->hashes().Root(U64(args, 1)));
}

// 0 tiles (u32), 1-2 index, 3-4 size (u64). Slot 0 = the inclusion proof.
int LogTileSetInclusionProof(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(0), "tiles"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof,
                              tiles->hashes().InclusionProof(U64(args, 1), U64(args, 3)));
  out.Set(kSlot0, tlog::SerializeProof(proof));
  return Ok();
}

// 0 tiles (u32), 1-2 size1, 3-4 size2 (u64). Slot 0 = the consistency proof.
int LogTileSetConsistencyProof(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(0), "tiles"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof,
                              tiles->hashes().ConsistencyProof(U64(args, 1), U64(args, 3)));
  out.Set(kSlot0, tlog::SerializeProof(proof));
  return Ok();
}

// 0 tiles (u32), 1-2 index, 3-4 size (u64). Slot 0 = leaf hash `index`.
int LogTileSetLeafHash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(0), "tiles"));
  return out.Finish(kSlot0, tiles->hashes().LeafHashAt(U64(args, 1), U64(args, 3)));
}

// 0 tiles (u32).
int LogTileSetFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(TileSets().Remove(args.U32(0), "tiles"));
}

// 0-1 size (u64). Slot 0 = TilesForRoot's paths (JSON array).
int LogTilesForRoot(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot0, tlog::TilePathsJson(tlog::TilesForRoot(U64(args, 0))));
  return Ok();
}

// 0-1 index, 2-3 size (u64). Slot 0 = TilesForInclusion's paths.
int LogTilesForInclusion(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot0, tlog::TilePathsJson(tlog::TilesForInclusion(U64(args, 0), U64(args, 2))));
  return Ok();
}

// 0-1 old size, 2-3 size (u64). Slot 0 = TilesForConsistency's paths.
int LogTilesForConsistency(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot0, tlog::TilePathsJson(tlog::TilesForConsistency(U64(args, 0), U64(args, 2))));
  return Ok();
}

// 0 client (u32), 1 checkpoint note (text), 2 tiles (u32).
// LogClient::UpdateFromTiles; slot 0 = the held size (u64 words).
int LogClientUpdateFromTiles(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::LogClient * client, Clients().Get(args.U32(0), "client"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(2), "tiles"));
  const Status updated = client->UpdateFromTiles(args.Text(1), tiles->hashes());
  out.Set(kSlot0, U64Words(client->size()));
  return out.Finish(updated);
}

// 0 client (u32). Slot 0 = TilesForAudit's paths (JSON array).
int LogClientTilesForAudit(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  out.Set(kSlot0, tlog::TilePathsJson(client->TilesForAudit()));
  return Ok();
}

// 0 client (u32), 1 tiles (u32). AuditOwnEntries from the tile set's hash
// tiles and entry bundles; slot 0 = AuditReportJson.
int LogClientAuditOwnEntries(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::FetchedTiles* tiles,
                              TileSets().Get(args.U32(1), "tiles"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::AuditReport report,
                              client->AuditOwnEntries(tiles->hashes(), tiles->bundles()));
  out.Set(kSlot0, tlog::AuditReportJson(report));
  return Ok();
}

// 0 client, 1 card (u32), 2-3 index (u64), 4 inclusion proof (region).
// VerifyCardInclusion (spec §9.1).
int LogClientVerifyCard(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const tlog::LogClient* client,
                              Clients().Get(args.U32(0), "client"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(1), "card"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::Proof proof, tlog::ParseProof(args.Bytes(4)));
  return out.Finish(tlog::VerifyCardInclusion(*client, *card, U64(args, 2), proof));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log) {
  using namespace medseal::wasm;
  emscripten::function("_logLeafHash", &LogLeafHash);
  emscripten::function("_logVerifyInclusion", &LogVerifyInclusion);
  emscripten::function("_logVerifyConsistency", &LogVerifyConsistency);
  emscripten::function("_logVerifyNote", &LogVerifyNote);
  emscripten::function("_logCardEntry", &LogCardEntry);
  emscripten::function("_logPolicyNew", &LogPolicyNew);
  emscripten::function("_logPolicyAddWitness", &LogPolicyAddWitness);
  emscripten::function("_logPolicyFinish", &LogPolicyFinish);
  emscripten::function("_logPolicyFree", &LogPolicyFree);
  emscripten::function("_logVerifyCheckpoint", &LogVerifyCheckpoint);
  emscripten::function("_logVerifyHistory", &LogVerifyHistory);
  emscripten::function("_logClientNew", &LogClientNew);
  emscripten::function("_logClientUpdate", &LogClientUpdate);
  emscripten::function("_logClientSize", &LogClientSize);
  emscripten::function("_logClientVerifyEntry", &LogClientVerifyEntry);
  emscripten::function("_logClientTrackOwnEntry", &LogClientTrackOwnEntry);
  emscripten::function("_logClientFree", &LogClientFree);
  emscripten::function("_logClientSaveState", &LogClientSaveState);
  emscripten::function("_logClientRestoreState", &LogClientRestoreState);
  emscripten::function("_logOperatorNew", &LogOperatorNew);
  emscripten::function("_logOperatorAppend", &LogOperatorAppend);
  emscripten::function("_logOperatorPublish", &LogOperatorPublish);
  emscripten::function("_logOperatorTile", &LogOperatorTile);
  emscripten::function("_logOperatorCheckpoint", &LogOperatorCheckpoint);
  emscripten::function("_logOperatorInclusionProof", &LogOperatorInclusionProof);
  emscripten::function("_logOperatorConsistencyProof", &LogOperatorConsistencyProof);
  emscripten::function("_logOperatorFree", &LogOperatorFree);
  emscripten::function("_logTileSetNew", &LogTileSetNew);
  emscripten::function("_logTileSetAdd", &LogTileSetAdd);
  emscripten::function("_logTileSetRoot", &LogTileSetRoot);
  emscripten::function("_logTileSetInclusionProof", &LogTileSetInclusionProof);
  emscripten::function("_logTileSetConsistencyProof", &LogTileSetConsistencyProof);
  emscripten::function("_logTileSetLeafHash", &LogTileSetLeafHash);
  emscripten::function("_logTileSetFree", &LogTileSetFree);
  emscripten::function("_logTilesForRoot", &LogTilesForRoot);
  emscripten::function("_logTilesForInclusion", &LogTilesForInclusion);
  emscripten::function("_logTilesForConsistency", &LogTilesForConsistency);
  emscripten::function("_logClientUpdateFromTiles", &LogClientUpdateFromTiles);
  emscripten::function("_logClientTilesForAudit", &LogClientTilesForAudit);
  emscripten::function("_logClientAuditOwnEntries", &LogClientAuditOwnEntries);
  emscripten::function("_logClientVerifyCard", &LogClientVerifyCard);
}
