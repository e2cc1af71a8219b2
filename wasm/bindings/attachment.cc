// SPDX-License-Identifier: Apache-2.0
// medseal attachments (docs/spec/attachment.md; core/attachment/): a card's
// age recipient, the signature object (sign, parse, verify), one-shot
// encrypt and decrypt, the streaming writer and verifying reader kept by
// handle (wasm/package/src/attachment.ts pushes at most 1 MiB per call), and
// the signature object in a sealed record v2. Metadata crosses as the JSON
// text core's AttachmentMetadataFromJson reads; every decision is core's.
#include "core/attachment/attachment.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<AttachmentWriter>& Writers() {
  static HandleTable<AttachmentWriter> table;
  return table;
}
HandleTable<AttachmentReader>& Readers() {
  static HandleTable<AttachmentReader> table;
  return table;
}

// Publishes secret bytes as a view of a kept copy (JS copies them and calls
// _release(), which wipes them).
int PublishSecret(Output& out, Result<SecretBytes> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes secret, std::move(made));
  const SecretBytes& kept = out.Keep(std::move(secret));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// Slot 0 = the signature object's JCS text (its fields, for JS to read).
int PublishSignature(Output& out, Result<AttachmentSignature> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentSignature signature, std::move(made));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, signature.ToJson());
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 card (u32). Slot 0 = "age1..." (the card's kx key, spec §1.1).
int RecipientForCard(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string text, AgeRecipientStringForCard(*card));
  out.Set(kSlot0, std::move(text));
  return Ok();
}

// 0 sender identity (u32), 1 age header, 2 file SHA-256, 3 metadata JSON
// (regions). Slot 0 = the signature object.
int Sign(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentMetadata metadata,
                              AttachmentMetadataFromJson(args.Text(3)));
  return out.Finish(kSlot0, SignAttachment(*sender, args.Bytes(1), args.Bytes(2), metadata));
}

// 0 signature object (region). Slot 0 = its JCS form.
int Parse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishSignature(out, ParseAttachmentSignature(args.Bytes(0)));
}

// 0 signature object (region), 1 sender card (u32), 2 age header, 3 file
// SHA-256 (regions). Slot 0 = the verified object's JCS form.
int Verify(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  return PublishSignature(out,
                          VerifyAttachment(args.Bytes(0), *sender, args.Bytes(2), args.Bytes(3)));
}

// 0 sender identity (u32), 1 recipient cards (handles), 2 plaintext,
// 3 metadata JSON (regions). Slot 0 = the age file, slot 1 = the signature.
int Encrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "recipients"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentMetadata metadata,
                              AttachmentMetadataFromJson(args.Text(3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, EncryptedAttachment encrypted,
      EncryptAttachment(*sender, cards, args.Bytes(2), std::move(metadata), SystemRng()));
  out.Set(kSlot0, std::move(encrypted.file));
  out.Set(kSlot1, std::move(encrypted.signature_json));
  return Ok();
}

// 0 recipient identity, 1 sender card (u32), 2 the age file, 3 the signature
// object (regions). Slot 0 = a view of the plaintext, after every check.
int Decrypt(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* recipient,
                              Identities().Get(args.U32(0), "recipient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  return PublishSecret(out, DecryptAttachment(args.Bytes(2), args.Bytes(3), *recipient, *sender));
}

// ---- Streams ----

// 0 sender identity (u32), 1 recipient cards (handles), 2 metadata JSON
// (region). num = writer handle, slot 0 = the age header.
int WriterCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "recipients"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentMetadata metadata,
                              AttachmentMetadataFromJson(args.Text(2)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, AttachmentWriter writer,
      AttachmentWriter::Create(*sender, cards, std::move(metadata), SystemRng()));
  auto owned = std::make_unique<AttachmentWriter>(std::move(writer));
  const AttachmentWriter& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Writers().Add(std::move(owned), "writer"));
  out.SetNum(handle);
  out.SetView(kSlot0, kept.header());
  return Ok();
}

// 0 writer (u32), 1 plaintext (region). Slot 0 = the file bytes this call
// emits (possibly none).
int WriterPush(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentWriter * writer, Writers().Get(args.U32(0), "writer"));
  return out.Finish(kSlot0, writer->Push(args.Bytes(1)));
}

// 0 writer (u32). Slot 0 = the last bytes of the file, slot 1 = the signature.
int WriterFinish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentWriter * writer, Writers().Get(args.U32(0), "writer"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentWriter::Tail tail, writer->Finish());
  out.Set(kSlot0, std::move(tail.file));
  out.Set(kSlot1, std::move(tail.signature));
  return Ok();
}

// 0 writer (u32).
int WriterFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Writers().Remove(args.U32(0), "writer"));
}

// 0 recipient identity, 1 sender card (u32), 2 the signature object
// (region). num = reader handle, slot 0 = the verified object's JCS form.
int ReaderCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* recipient,
                              Identities().Get(args.U32(0), "recipient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentReader reader,
                              AttachmentReader::Create(*recipient, args.Bytes(2), *sender));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, reader.signature().ToJson());
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      Readers().Add(std::make_unique<AttachmentReader>(std::move(reader)), "reader"));
  out.SetNum(handle);
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 reader (u32), 1 file bytes (region). Slot 0 = a view of the plaintext
// of the chunks that authenticated in this call.
int ReaderPush(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentReader * reader, Readers().Get(args.U32(0), "reader"));
  return PublishSecret(out, reader->Push(args.Bytes(1)));
}

// 0 reader (u32). Slot 0 = a view of the last plaintext, after the file
// hash and the size matched the signature.
int ReaderFinish(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, AttachmentReader * reader, Readers().Get(args.U32(0), "reader"));
  return PublishSecret(out, reader->Finish());
}

// 0 reader (u32).
int ReaderFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Readers().Remove(args.U32(0), "reader"));
}

// ---- The signature object in a sealed record v2 ----

// 0 sender identity (u32), 1 recipient cards (handles), 2 signature object,
// 3 record id, 4 context JSON (RecordContextFromJson) (regions), 5 the
// record's encoding (u32), 6 now (f64). Slot 0 = the sealed record.
int SealSignature(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "recipients"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, RecordContext context, RecordContextFromJson(args.Text(4)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(6, "options.now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord sealed,
                              SealAttachmentSignature(*sender, cards, args.Bytes(2), args.Text(3),
                                                      context, SystemRng(), clock));
  return out.Finish(kSlot0, EncodeRecord(sealed, static_cast<RecordEncoding>(args.U32(5))));
}

// 0 recipient identity, 1 sender card (u32), 2 sealed record (region), 3 its
// encoding (u32), 4 purpose system, 5 purpose code (regions). Slot 0 = the
// signature object (verified against the sender's card).
int OpenSignature(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* recipient,
                              Identities().Get(args.U32(0), "recipient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(2), static_cast<RecordEncoding>(args.U32(3))));
  const RecordPurpose purpose{std::string(args.Text(4)), std::string(args.Text(5))};
  return out.Finish(kSlot0, OpenAttachmentSignature(record, *recipient, *sender, purpose));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_attachment) {
  using namespace medseal::wasm;
  emscripten::function("_attachmentRecipientForCard", &RecipientForCard);
  emscripten::function("_attachmentSign", &Sign);
  emscripten::function("_attachmentParse", &Parse);
  emscripten::function("_attachmentVerify", &Verify);
  emscripten::function("_attachmentEncrypt", &Encrypt);
  emscripten::function("_attachmentDecrypt", &Decrypt);
  emscripten::function("_attachmentWriterCreate", &WriterCreate);
  emscripten::function("_attachmentWriterPush", &WriterPush);
  emscripten::function("_attachmentWriterFinish", &WriterFinish);
  emscripten::function("_attachmentWriterFree", &WriterFree);
  emscripten::function("_attachmentReaderCreate", &ReaderCreate);
  emscripten::function("_attachmentReaderPush", &ReaderPush);
  emscripten::function("_attachmentReaderFinish", &ReaderFinish);
  emscripten::function("_attachmentReaderFree", &ReaderFree);
  emscripten::function("_attachmentSealSignature", &SealSignature);
  emscripten::function("_attachmentOpenSignature", &OpenSignature);
}
