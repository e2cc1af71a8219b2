// Embind entry points of medseal_core.wasm. Conversions only: every check of
// data and every format rule is in core; what is here turns heap regions
// into core arguments and core results into output slots (wasm/marshal.h
// describes the calling convention). The `_`-prefixed functions are private
// to wasm/package/src/index.ts.
//
// Nothing here throws into JS (no val::throw_, no exceptions): every function
// returns an ErrorCode and the JS wrapper throws MedsealError.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/codec/base64url.h"
#include "core/crypto/aead.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/record.h"
#include "wasm/marshal.h"

// Fills [out, out + size) from crypto.getRandomValues, which exists in pages,
// workers and Node >= 19 (globalThis.crypto), in chunks of at most 65536
// bytes (the Web Crypto limit per call), straight into the heap.
// clang-format off
EM_JS(void, medseal_fill_random, (uint8_t* out, size_t size), {
  out >>>= 0;
  for (var off = 0; off < size; off += 65536) {
    globalThis.crypto.getRandomValues(HEAPU8.subarray(out + off, out + Math.min(size, off + 65536)));
  }
});
// clang-format on

namespace medseal::wasm {
namespace {

// The platform CSPRNG, one JS call per Fill. Core's SodiumRng would go through
// libsodium 1.0.18's Emscripten randombytes_buf, which calls JS once per byte
// and ignores randombytes_set_implementation().
class WebCryptoRng final : public Rng {
 public:
  void Fill(uint8_t* out, size_t size) override {
    if (size > 0) medseal_fill_random(out, size);
  }
};

enum Slot : int { kSlot0 = 0, kSlot1, kSlot2, kSlot3, kSlot4, kSlot5 };
// How JS passes a sealed record: Uint8Array = binary encoding, string = JSON.
enum RecordEncoding : uint32_t { kBinary = 0, kJson = 1 };

Scratch g_scratch;
Output g_out;
HandleTable<Identity> g_identities;
HandleTable<PublicCard> g_cards;  // verified cards (public data only)
HandleTable<ChaChaRng> g_rngs;
WebCryptoRng g_system_rng;

int Ok() { return Code(ErrorCode::kOk); }

int Fail(ErrorCode code, std::string message) {
  return g_out.Fail(Status(code, std::move(message)));
}

int Disposed(const char* what) {
  return Fail(ErrorCode::kDisposed, std::string(what) + " was disposed");
}

int OutOfMemory() { return Fail(ErrorCode::kTooLarge, "not enough WebAssembly memory"); }

// Reads a u32 that JS wrote (wasm is little-endian) at a heap address.
uint32_t HeapWord(uint32_t ptr) {
  uint32_t v;
  std::memcpy(&v, reinterpret_cast<const void*>(static_cast<uintptr_t>(ptr)), sizeof v);
  return v;
}

Result<SealedRecord> ParseSealed(uint32_t ptr, uint32_t len, uint32_t encoding) {
  if (encoding == kJson) return ParseRecordJson(HeapText(ptr, len));
  return ParseRecordBinary(HeapBytes(ptr, len));
}

// Publishes a new identity: num = handle, slot 0 = card JSON, 1 = key id.
int PublishIdentity(Result<Identity> created) {
  if (!created.ok()) return g_out.Fail(created.status());
  auto identity = std::make_unique<Identity>(std::move(created).value());
  std::string card = identity->card().ToJson();
  std::string key_id = Base64UrlEncode(identity->key_id());
  uint32_t handle = g_identities.Add(std::move(identity));
  if (handle == 0) return Fail(ErrorCode::kInternal, "no identity handles left");
  g_out.SetNum(handle);
  g_out.Set(kSlot0, std::move(card));
  g_out.Set(kSlot1, std::move(key_id));
  return Ok();
}

// ---- Module -------------------------------------------------------------

int Init() {
  g_out.Reset();
  if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "sodium_init failed");
  return Ok();
}

uint32_t OutAreaAddress() { return HeapAddress(g_out.area()); }

uint32_t ScratchEnsure(uint32_t size) { return g_scratch.Ensure(size); }

// ---- Identity -------------------------------------------------------------

int IdentityFromSeed(uint32_t seed_ptr, uint32_t seed_len, uint32_t name_ptr, uint32_t name_len,
                     uint32_t role_ptr, uint32_t role_len, double created) {
  g_out.Reset();
  UnixMillis created_ms;
  if (!MillisFromDouble(created, created_ms)) {
    return Fail(ErrorCode::kInvalidArgument, "created is not an integer number of milliseconds");
  }
  SecretBytes seed = SecretBytes::CopyFrom(HeapBytes(seed_ptr, seed_len));
  return PublishIdentity(Identity::FromSeed(seed, HeapText(name_ptr, name_len),
                                            HeapText(role_ptr, role_len), created_ms));
}

int IdentityGenerate(uint32_t name_ptr, uint32_t name_len, uint32_t role_ptr, uint32_t role_len,
                     double now) {
  g_out.Reset();
  UnixMillis now_ms;
  if (!MillisFromDouble(now, now_ms)) {
    return Fail(ErrorCode::kInvalidArgument, "now is not an integer number of milliseconds");
  }
  FixedClock clock(now_ms);
  return PublishIdentity(Identity::Generate(g_system_rng, clock, HeapText(name_ptr, name_len),
                                            HeapText(role_ptr, role_len)));
}

// slot 0 = the 32-byte seed (JS wipes it after copying).
int IdentityExportSeed(uint32_t handle) {
  g_out.Reset();
  const Identity* identity = g_identities.Find(handle);
  if (identity == nullptr) return Disposed("identity");
  ByteView seed = RevealSecret(identity->seed());
  uint8_t* out = g_out.Reserve(kSlot0, seed.size());
  if (out == nullptr) return OutOfMemory();
  std::copy(seed.begin(), seed.end(), out);
  return Ok();
}

int IdentityFree(uint32_t handle) {
  g_out.Reset();
  if (!g_identities.Remove(handle)) return Disposed("identity");
  return Ok();
}

// ---- Records --------------------------------------------------------------

// `cards_ptr` holds `card_count` card handles (u32 each, from _cardParse).
// `rng_handle` 0 = the platform CSPRNG, otherwise a DeterministicRng.
// slot 0 = the sealed record (binary or JSON text).
int SealRecordEntry(uint32_t sender_handle, uint32_t cards_ptr, uint32_t card_count,
                    uint32_t content_type_ptr, uint32_t content_type_len, uint32_t record_id_ptr,
                    uint32_t record_id_len, uint32_t resource_type_ptr,
                    uint32_t resource_type_len, uint32_t body_ptr, uint32_t body_len,
                    bool json_output, uint32_t rng_handle, double now) {
  g_out.Reset();
  const Identity* sender = g_identities.Find(sender_handle);
  if (sender == nullptr) return Disposed("sender identity");
  Rng* rng = &g_system_rng;
  if (rng_handle != 0) {
    rng = g_rngs.Find(rng_handle);
    if (rng == nullptr) return Disposed("DeterministicRng");
  }
  UnixMillis now_ms;
  if (!MillisFromDouble(now, now_ms)) {
    return Fail(ErrorCode::kInvalidArgument, "now is not an integer number of milliseconds");
  }
  // The cards stay in the handle table; core gets pointers to them.
  std::vector<const PublicCard*> cards;
  cards.reserve(card_count);
  for (uint32_t i = 0; i < card_count; ++i) {
    const PublicCard* card = g_cards.Find(HeapWord(cards_ptr + 4 * i));
    if (card == nullptr) return Fail(ErrorCode::kDisposed, "recipient " + std::to_string(i) + " was disposed");
    cards.push_back(card);
  }
  // Views of the heap regions JS wrote (and wipes after the call).
  const RecordPayload payload{HeapText(content_type_ptr, content_type_len),
                              HeapText(record_id_ptr, record_id_len),
                              HeapText(resource_type_ptr, resource_type_len),
                              HeapBytes(body_ptr, body_len)};
  FixedClock clock(now_ms);
  auto sealed = SealRecord(*sender, cards, payload, *rng, clock);
  if (!sealed.ok()) return g_out.Fail(sealed.status());
  if (json_output) {
    g_out.Set(kSlot0, EncodeRecordJson(*sealed));
  } else {
    g_out.Set(kSlot0, EncodeRecordBinary(*sealed));
  }
  return Ok();
}

// slot 0 = body, 1 = content type, 2 = record id, 3 = resource type,
// num = created. JS wipes all four after copying.
int OpenRecordEntry(uint32_t recipient_handle, uint32_t card_handle, uint32_t sealed_ptr,
                    uint32_t sealed_len, uint32_t encoding) {
  g_out.Reset();
  const Identity* recipient = g_identities.Find(recipient_handle);
  if (recipient == nullptr) return Disposed("recipient identity");
  const PublicCard* sender = g_cards.Find(card_handle);
  if (sender == nullptr) return Disposed("sender card");
  auto record = ParseSealed(sealed_ptr, sealed_len, encoding);
  if (!record.ok()) return g_out.Fail(record.status());
  auto payload = OpenRecord(*record, *recipient, *sender);
  if (!payload.ok()) return g_out.Fail(payload.status());
  g_out.Set(kSlot0, Bytes(payload->body().begin(), payload->body().end()));
  g_out.Set(kSlot1, std::string(payload->content_type()));
  g_out.Set(kSlot2, std::string(payload->record_id()));
  g_out.Set(kSlot3, std::string(payload->resource_type()));
  g_out.SetNum(static_cast<double>(payload->created()));
  return Ok();
}

int VerifyRecordEntry(uint32_t card_handle, uint32_t sealed_ptr, uint32_t sealed_len,
                      uint32_t encoding) {
  g_out.Reset();
  const PublicCard* sender = g_cards.Find(card_handle);
  if (sender == nullptr) return Disposed("sender card");
  auto record = ParseSealed(sealed_ptr, sealed_len, encoding);
  if (!record.ok()) return g_out.Fail(record.status());
  Status verified = VerifyRecord(*record, *sender);
  if (!verified.ok()) return g_out.Fail(verified);
  return Ok();
}

// slot 0 = sender key id, slot 1 = recipient key ids joined by ','
// (base64url never contains ','), num = ciphertext bytes.
int InspectRecordEntry(uint32_t sealed_ptr, uint32_t sealed_len, uint32_t encoding) {
  g_out.Reset();
  auto record = ParseSealed(sealed_ptr, sealed_len, encoding);
  if (!record.ok()) return g_out.Fail(record.status());
  std::string recipients;
  for (const auto& stanza : record->recipients) {
    if (!recipients.empty()) recipients += ',';
    recipients += Base64UrlEncode(stanza.key_id);
  }
  g_out.Set(kSlot0, Base64UrlEncode(record->sender_key_id));
  g_out.Set(kSlot1, std::move(recipients));
  g_out.SetNum(static_cast<double>(record->ciphertext.size()));
  return Ok();
}

int RecordToJsonEntry(uint32_t ptr, uint32_t len) {
  g_out.Reset();
  auto record = ParseRecordBinary(HeapBytes(ptr, len));
  if (!record.ok()) return g_out.Fail(record.status());
  g_out.Set(kSlot0, EncodeRecordJson(*record));
  return Ok();
}

int RecordFromJsonEntry(uint32_t ptr, uint32_t len) {
  g_out.Reset();
  auto record = ParseRecordJson(HeapText(ptr, len));
  if (!record.ok()) return g_out.Fail(record.status());
  g_out.Set(kSlot0, EncodeRecordBinary(*record));
  return Ok();
}

// ---- Cards ------------------------------------------------------------------

// Parses and verifies a card and keeps it: num = handle; slot 0 = key id,
// 1 = name, 2 = role, 3 = signing key, 4 = kx key, 5 = the card's JSON as
// medseal writes it.
int CardParse(uint32_t ptr, uint32_t len) {
  g_out.Reset();
  auto parsed = PublicCard::ParseJson(HeapText(ptr, len));
  if (!parsed.ok()) return g_out.Fail(parsed.status());
  auto card = std::make_unique<PublicCard>(std::move(parsed).value());
  g_out.Set(kSlot0, Base64UrlEncode(card->key_id()));
  g_out.Set(kSlot1, std::string(card->name()));
  g_out.Set(kSlot2, std::string(card->role()));
  g_out.Set(kSlot3, Bytes(card->sign_public_key()));
  g_out.Set(kSlot4, Bytes(card->kx_public_key()));
  g_out.Set(kSlot5, card->ToJson());
  g_out.SetNum2(static_cast<double>(card->created()));
  uint32_t handle = g_cards.Add(std::move(card));
  if (handle == 0) return Fail(ErrorCode::kInternal, "no card handles left");
  g_out.SetNum(handle);
  return Ok();
}

int CardFree(uint32_t handle) {
  g_out.Reset();
  if (!g_cards.Remove(handle)) return Disposed("card");
  return Ok();
}

// ---- Deterministic RNG ---------------------------------------------------------

int RngCreate(uint32_t seed_ptr, uint32_t seed_len) {
  g_out.Reset();
  auto rng = ChaChaRng::Create(HeapBytes(seed_ptr, seed_len));
  if (!rng.ok()) return g_out.Fail(rng.status());
  uint32_t handle = g_rngs.Add(std::make_unique<ChaChaRng>(std::move(rng).value()));
  if (handle == 0) return Fail(ErrorCode::kInternal, "no DeterministicRng handles left");
  g_out.SetNum(handle);
  return Ok();
}

int RngFill(uint32_t handle, uint32_t size) {
  g_out.Reset();
  ChaChaRng* rng = g_rngs.Find(handle);
  if (rng == nullptr) return Disposed("DeterministicRng");
  uint8_t* out = g_out.Reserve(kSlot0, size);
  if (out == nullptr) return OutOfMemory();
  rng->Fill(out, size);
  return Ok();
}

int RngFree(uint32_t handle) {
  g_out.Reset();
  if (!g_rngs.Remove(handle)) return Disposed("DeterministicRng");
  return Ok();
}

// ---- Raw AEAD -------------------------------------------------------------

// `args`: an AeadArgs header, then key, nonce, aad and input back to back;
// the output is written right after the input (marshal.h).
template <bool kSeal>
int XChaCha(uint32_t args) {
  g_out.Reset();
  AeadArgs a;
  std::memcpy(&a, reinterpret_cast<const void*>(static_cast<uintptr_t>(args)), sizeof a);
  uint32_t key = args + sizeof a;
  uint32_t nonce = key + a.key_len;
  uint32_t aad = nonce + a.nonce_len;
  uint32_t input = aad + a.aad_len;
  auto* out = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(input + a.input_len));
  Status st = kSeal ? XChaCha20Poly1305Seal(HeapBytes(key, a.key_len), HeapBytes(nonce, a.nonce_len),
                                            HeapBytes(aad, a.aad_len), HeapBytes(input, a.input_len), out)
                    : XChaCha20Poly1305Open(HeapBytes(key, a.key_len), HeapBytes(nonce, a.nonce_len),
                                            HeapBytes(aad, a.aad_len), HeapBytes(input, a.input_len), out);
  if (!st.ok()) return g_out.Fail(st);
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_core) {
  using namespace medseal::wasm;
  using emscripten::function;
  function("_init", &Init);
  function("_outArea", &OutAreaAddress);
  function("_scratch", &ScratchEnsure);
  function("_identityFromSeed", &IdentityFromSeed);
  function("_identityGenerate", &IdentityGenerate);
  function("_identityExportSeed", &IdentityExportSeed);
  function("_identityFree", &IdentityFree);
  function("_sealRecord", &SealRecordEntry);
  function("_openRecord", &OpenRecordEntry);
  function("_verifyRecord", &VerifyRecordEntry);
  function("_inspectRecord", &InspectRecordEntry);
  function("_recordToJson", &RecordToJsonEntry);
  function("_recordFromJson", &RecordFromJsonEntry);
  function("_cardParse", &CardParse);
  function("_cardFree", &CardFree);
  function("_rngCreate", &RngCreate);
  function("_rngFill", &RngFill);
  function("_rngFree", &RngFree);
  function("_xchachaSeal", &XChaCha<true>);
  function("_xchachaOpen", &XChaCha<false>);
}
