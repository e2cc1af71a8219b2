// SPDX-License-Identifier: Apache-2.0
// age v1 files (C2SP age; core/age/): recipients and identities (X25519,
// the post-quantum hybrid mlkem768x25519, and scrypt) kept by handle, one-shot encrypt and decrypt
// (with the armor), the incremental encryptor and decryptor (wasm/package/src/age.ts and
// age-stream.ts push at most 1 MiB per call, so that the heap stays small
// whatever the file's size), and random access to a byte range. Every
// decision is core's (core/age/session.h for the glue).
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/age/armor.h"
#include "core/age/keys.h"
#include "core/age/session.h"
#include "core/age/stream.h"
#include "core/attachment/attachment.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<AgeRecipient>& Recipients() {
  static HandleTable<AgeRecipient> table;
  return table;
}
HandleTable<AgeIdentity>& AgeIdentities() {
  static HandleTable<AgeIdentity> table;
  return table;
}
HandleTable<AgeEncryptor>& Encryptors() {
  static HandleTable<AgeEncryptor> table;
  return table;
}
HandleTable<AgeDecryptor>& Decryptors() {
  static HandleTable<AgeDecryptor> table;
  return table;
}
HandleTable<AgeRandomAccess>& RandomAccesses() {
  static HandleTable<AgeRandomAccess> table;
  return table;
}

// Keeps a new recipient: num = handle, slot 0 = "age1..." / "age1pq1..."
// (empty for scrypt), slot 1 = its kind as one u32 word (AgeRecipient::Kind).
int PublishRecipient(Output& out, Result<AgeRecipient> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeRecipient recipient, std::move(made));
  auto owned = std::make_unique<AgeRecipient>(std::move(recipient));
  const AgeRecipient& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              Recipients().Add(std::move(owned), "recipient"));
  out.SetNum(handle);
  out.Set(kSlot0, kept.ToString());
  out.Set(kSlot1, WordBytes({static_cast<uint32_t>(kept.kind())}));
  return Ok();
}

// Keeps a new identity: num = handle, slot 1 = its kind (AgeIdentity::Kind).
int PublishIdentity(Output& out, Result<AgeIdentity> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeIdentity identity, std::move(made));
  auto owned = std::make_unique<AgeIdentity>(std::move(identity));
  const AgeIdentity& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              AgeIdentities().Add(std::move(owned), "identity"));
  out.SetNum(handle);
  out.Set(kSlot1, WordBytes({static_cast<uint32_t>(kept.kind())}));
  return Ok();
}

// Publishes secret bytes as a view of a kept copy (JS copies them and calls
// _release(), which wipes them).
int PublishSecret(Output& out, Result<SecretBytes> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes secret, std::move(made));
  const SecretBytes& kept = out.Keep(std::move(secret));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// The recipients (slot `slot`, handles) as the list core takes.
Result<std::vector<AgeRecipient>> RecipientList(const ArgReader& args, uint32_t slot) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<const AgeRecipient*> list,
                           Recipients().GetEach(args.Words(slot), "recipients"));
  return CopyAgeRecipients(list);
}
Result<std::vector<AgeIdentity>> IdentityList(const ArgReader& args, uint32_t slot) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<const AgeIdentity*> list,
                           AgeIdentities().GetEach(args.Words(slot), "identities"));
  return CopyAgeIdentities(list);
}

// ---- Recipients ----

// 0 "age1..." (region). Published as PublishRecipient.
int RecipientParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishRecipient(out, AgeRecipient::Parse(args.Text(0)));
}

// 0 passphrase (region), 1 work factor log2(N) (u32).
int RecipientScrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishRecipient(out, AgeRecipient::Scrypt(SecretBytes::CopyFrom(args.Bytes(0)),
                                                    static_cast<int>(args.U32(1))));
}

// 0 verified card (u32): its X-Wing key as the hybrid recipient, or its kx
// key (AgeRecipientForCard; docs/spec/attachment.md §1.1, key mapping).
int RecipientFromCard(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  return PublishRecipient(out, AgeRecipientForCard(*card));
}

// 0 recipient (u32).
int RecipientFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Recipients().Remove(args.U32(0), "recipient"));
}

// ---- Identities ----

// 0 "AGE-SECRET-KEY-1..." (region, UTF-8; JS wipes the block after the call).
int IdentityParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishIdentity(out, AgeIdentity::Parse(args.Text(0)));
}

// No arguments: a fresh X25519 identity from the platform CSPRNG.
int IdentityGenerate() {
  Output& out = BeginCall();
  return PublishIdentity(out, GenerateAgeIdentity(SystemRng()));
}

// No arguments: a fresh mlkem768x25519 (hybrid) identity from the platform CSPRNG.
int IdentityGenerateHybrid() {
  Output& out = BeginCall();
  return PublishIdentity(out, GenerateAgeHybridIdentity(SystemRng()));
}

// 0 passphrase (region), 1 the largest work factor accepted (u32).
int IdentityScrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishIdentity(out, AgeIdentity::Scrypt(SecretBytes::CopyFrom(args.Bytes(0)),
                                                  static_cast<int>(args.U32(1))));
}

// 0 medseal identity (u32): the age identity of its card's recipient
// (AgeIdentityFor: its X-Wing seed as a hybrid identity, or its kx secret).
int IdentityFromIdentity(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* identity,
                              Identities().Get(args.U32(0), "identity"));
  return PublishIdentity(out, AgeIdentityFor(*identity));
}

// 0 identity (u32). The matching recipient, as PublishRecipient.
int IdentityRecipient(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const AgeIdentity* identity,
                              AgeIdentities().Get(args.U32(0), "identity"));
  return PublishRecipient(out, identity->Recipient());
}

// 0 identity (u32). Slot 0 = a view of "AGE-SECRET-KEY-1..." (secret).
int IdentityEncode(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const AgeIdentity* identity,
                              AgeIdentities().Get(args.U32(0), "identity"));
  return PublishSecret(out, identity->Encode());
}

// 0 identity (u32).
int IdentityFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(AgeIdentities().Remove(args.U32(0), "identity"));
}

// ---- One-shot ----

// 0 recipients (handles), 1 plaintext (region), 2 armor (u32, 0 or 1).
// Slot 0 = the age file.
int Encrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<AgeRecipient> recipients, RecipientList(args, 0));
  return out.Finish(kSlot0, AgeEncrypt(args.Bytes(1), recipients, SystemRng(), args.U32(2) != 0));
}

// 0 identities (handles), 1 the file, binary or armored (region). Slot 0 =
// a view of the plaintext (JS copies it and calls _release()).
int Decrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<AgeIdentity> identities, IdentityList(args, 0));
  return PublishSecret(out, AgeDecrypt(args.Bytes(1), identities));
}

// 0 file prefix (region). Slot 1 = one u32 word, 1 if it looks armored.
int LooksArmoredEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot1, WordBytes({static_cast<uint32_t>(LooksArmored(args.Bytes(0)))}));
  return Ok();
}

// 0 binary file (region). Slot 0 = its ASCII armor (text).
int ArmorEncodeEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.Set(kSlot0, ArmorEncode(args.Bytes(0)));
  return Ok();
}

// 0 armored text (region). Slot 0 = the binary file.
int ArmorDecodeEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(kSlot0, ArmorDecode(args.Bytes(0)));
}

// ---- Streams ----

// 0 recipients (handles). num = encryptor handle.
int EncryptorCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<AgeRecipient> recipients, RecipientList(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeEncryptor encryptor,
                              AgeEncryptor::Create(recipients, SystemRng()));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Encryptors().Add(std::make_unique<AgeEncryptor>(std::move(encryptor)), "encryptor"));
  out.SetNum(handle);
  return Ok();
}

// 0 encryptor (u32), 1 plaintext (region). Slot 0 = the file bytes this
// call emits (possibly none).
int EncryptorPush(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeEncryptor * encryptor,
                              Encryptors().Get(args.U32(0), "encryptor"));
  return out.Finish(kSlot0, AgePush(*encryptor, args.Bytes(1)));
}

// 0 encryptor (u32). Slot 0 = the last bytes of the file.
int EncryptorFinish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeEncryptor * encryptor,
                              Encryptors().Get(args.U32(0), "encryptor"));
  return out.Finish(kSlot0, AgeFinish(*encryptor));
}

// 0 encryptor (u32).
int EncryptorFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Encryptors().Remove(args.U32(0), "encryptor"));
}

// 0 identities (handles). num = decryptor handle.
int DecryptorCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<AgeIdentity> identities, IdentityList(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeDecryptor decryptor, AgeDecryptor::Create(identities));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Decryptors().Add(std::make_unique<AgeDecryptor>(std::move(decryptor)), "decryptor"));
  out.SetNum(handle);
  return Ok();
}

// Publishes what a decryptor call released (core/age/session.h): slot 0 =
// the plaintext of the chunks that authenticated (owned; wiped by
// _release()), num = the call's code, slot 1 = its message. The entry
// point itself returns OK: JS passes the plaintext on, then throws the code.
int PublishReleased(Output& out, AgeReleased&& released) {
  out.SetNum(Code(released.status.code()));
  out.Set(kSlot1, std::string(released.status.message()));
  out.Set(kSlot0, std::move(released.plaintext));
  return Ok();
}

// 0 decryptor (u32), 1 file bytes (region). As PublishReleased.
int DecryptorPush(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeDecryptor * decryptor,
                              Decryptors().Get(args.U32(0), "decryptor"));
  return PublishReleased(out, AgePush(*decryptor, args.Bytes(1)));
}

// 0 decryptor (u32). As PublishReleased: the last plaintext.
int DecryptorFinish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeDecryptor * decryptor,
                              Decryptors().Get(args.U32(0), "decryptor"));
  return PublishReleased(out, AgeFinish(*decryptor));
}

// 0 decryptor (u32).
int DecryptorFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Decryptors().Remove(args.U32(0), "decryptor"));
}

// ---- Random access ----

// 0 identities (handles), 1 the file's first bytes (region), 2 the file's
// size (f64). num = handle, millis = the plaintext's size (exact: at most
// the file's size); kTruncated asks for a longer prefix.
int RandomAccessOpen(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<AgeIdentity> identities, IdentityList(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint64_t size, AgeByteCount(args.F64(2), "size"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AgeRandomAccess file,
                              AgeRandomAccess::Open(args.Bytes(1), size, identities));
  const uint64_t plaintext_size = file.plaintext_size();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      RandomAccesses().Add(std::make_unique<AgeRandomAccess>(std::move(file)), "file"));
  out.SetNum(handle);
  out.SetMillis(static_cast<int64_t>(plaintext_size));
  return Ok();
}

// 0 file (u32), 1 plaintext offset, 2 length (f64). Slot 0 = the
// ciphertext span as four u32 words (AgeLocateWords).
int RandomAccessLocate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const AgeRandomAccess* file,
                              RandomAccesses().Get(args.U32(0), "file"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint64_t offset, AgeByteCount(args.F64(1), "offset"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint64_t length, AgeByteCount(args.F64(2), "length"));
  return out.Finish(kSlot0, AgeLocateWords(*file, offset, length));
}

// 0 file (u32), 1 plaintext offset, 2 length (f64), 3 the located
// ciphertext (region). Slot 0 = a view of the plaintext range.
int RandomAccessRead(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const AgeRandomAccess* file,
                              RandomAccesses().Get(args.U32(0), "file"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint64_t offset, AgeByteCount(args.F64(1), "offset"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint64_t length, AgeByteCount(args.F64(2), "length"));
  return PublishSecret(out, file->Read(offset, length, args.Bytes(3)));
}

// 0 file (u32).
int RandomAccessFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(RandomAccesses().Remove(args.U32(0), "file"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_age) {
  using namespace medseal::wasm;
  emscripten::function("_ageRecipientParse", &RecipientParse);
  emscripten::function("_ageRecipientScrypt", &RecipientScrypt);
  emscripten::function("_ageRecipientFromCard", &RecipientFromCard);
  emscripten::function("_ageRecipientFree", &RecipientFree);
  emscripten::function("_ageIdentityParse", &IdentityParse);
  emscripten::function("_ageIdentityGenerate", &IdentityGenerate);
  emscripten::function("_ageIdentityGenerateHybrid", &IdentityGenerateHybrid);
  emscripten::function("_ageIdentityScrypt", &IdentityScrypt);
  emscripten::function("_ageIdentityFromIdentity", &IdentityFromIdentity);
  emscripten::function("_ageIdentityRecipient", &IdentityRecipient);
  emscripten::function("_ageIdentityEncode", &IdentityEncode);
  emscripten::function("_ageIdentityFree", &IdentityFree);
  emscripten::function("_ageEncrypt", &Encrypt);
  emscripten::function("_ageDecrypt", &Decrypt);
  emscripten::function("_ageLooksArmored", &LooksArmoredEntry);
  emscripten::function("_ageArmorEncode", &ArmorEncodeEntry);
  emscripten::function("_ageArmorDecode", &ArmorDecodeEntry);
  emscripten::function("_ageEncryptorCreate", &EncryptorCreate);
  emscripten::function("_ageEncryptorPush", &EncryptorPush);
  emscripten::function("_ageEncryptorFinish", &EncryptorFinish);
  emscripten::function("_ageEncryptorFree", &EncryptorFree);
  emscripten::function("_ageDecryptorCreate", &DecryptorCreate);
  emscripten::function("_ageDecryptorPush", &DecryptorPush);
  emscripten::function("_ageDecryptorFinish", &DecryptorFinish);
  emscripten::function("_ageDecryptorFree", &DecryptorFree);
  emscripten::function("_ageRandomAccessOpen", &RandomAccessOpen);
  emscripten::function("_ageRandomAccessLocate", &RandomAccessLocate);
  emscripten::function("_ageRandomAccessRead", &RandomAccessRead);
  emscripten::function("_ageRandomAccessFree", &RandomAccessFree);
}
