// SPDX-License-Identifier: Apache-2.0
// medseal: sealed medical records in pages, Web Workers and Node 20.
//
// A thin typed wrapper over the WebAssembly build of the C++ core
// (docs/api.md is the contract). Every decision about data is made by the
// core; the wrapper checks JS types, moves bytes in and out of the wasm heap
// and turns the core's error codes into MedsealError.
//
// Modules (each concept declares the slice of the core module's entry
// points it calls, by declaration merging into ./medseal_core.mjs):
//   loading.ts   init(), the embedded module, the ABI check
//   heap.ts      argument blocks (wasm/marshal.h), scratch, output slots
//   handles.ts   handle ownership, dispose(), FinalizationRegistry backstop
//   checks.ts    argument checks that never trust the caller's objects
//   errors.ts, codes.ts
//   identity.ts, card.ts, record.ts   one per concept
//   testing.ts   the 'medseal/testing' entry point (its own bundle)
//
// Build (package.json "build"): scripts/bundle.mjs bundles this file with
// the Emscripten glue (dist/medseal_core.mjs) and the module itself
// (dist/medseal_core.wasm, raw DEFLATE, base64) into one dist/index.js, so
// that a page fetches one script and nothing else; tsc type-checks and
// writes the .d.ts files.

// First: loading.js imports the embedded module first, so that the bundle
// starts with its base64 text.
export { init, type InitOptions } from './loading.js';
export { ErrorCode, type ErrorCodeName } from './codes.js';
export { MedsealError } from './errors.js';
export { Identity, type IdentityGenerateOptions, type IdentitySeedOptions } from './identity.js';
export { PublicCard, parseCard, type CardInput, type ParsedCard } from './card.js';
export {
  sealRecord,
  openRecord,
  openRecordWithVaultKey,
  verifyRecord,
  inspectRecord,
  recordToJson,
  recordFromJson,
  VaultKey,
  StanzaType,
  type RecordPayloadInput,
  type RecordPurpose,
  type SealOptions,
  type OpenOptions,
  type OpenedRecord,
  type RecordInfo,
  type RecordRecipientInfo,
} from './record.js';
export {
  share,
  reseal,
  withdrawConsent,
  verifyErasureReceipt,
  Vault,
  type CodingInput,
  type ReferenceInput,
  type RequestActorInput,
  type ShareCandidate,
  type ShareOptions,
  type ShareResult,
  type SharedResource,
  type ShareDecision,
  type ShareReason,
  type ShareLabelCoding,
  type Withdrawal,
  type ErasureSelector,
  type ErasureReceipt,
  type VaultEntry,
} from './share.js';
export {
  ConsentSet,
  evaluateConsent,
  explainConsents,
  type AccessRequest,
  type Coding,
  type ConsentDecision,
  type DecisionReason,
  type ExplainEntry,
  type ExplainRecord,
  type RecordFacts,
  type Reference,
  type RequestActor,
} from './decision.js';
export { labelResource, type LabelCoding, type LabelReason, type LabelResult } from './labeler.js';
export {
  canonicalizeJson,
  signConsent,
  parseReceipt,
  verifyReceipt,
  consentHash,
  exportKantaraReceipt,
  type FhirVersion,
  type SignConsentOptions,
  type ParsedReceipt,
} from './receipt.js';
export { convertConsent, type ConvertConsentOptions, type ConvertedConsent } from './consent.js';
export {
  AgeRecipient,
  AgeIdentity,
  Encryptor,
  Decryptor,
  encryptFile,
  decryptFile,
  decryptRange,
  armorEncode,
  armorDecode,
  wasmMemoryBytes,
  type AgeKeyType,
  type AgeProgress,
  type AgeEncryptOptions,
  type AgeGenerateOptions,
  type AgePassphraseRecipientOptions,
  type AgePassphraseIdentityOptions,
} from './age.js';
export {
  encryptStream,
  decryptStream,
  encryptFileInWorker,
  decryptFileInWorker,
  type AgeStreamOptions,
  type AgeEncryptStreamOptions,
  type AgeWorkerOptions,
  type WorkerRecipient,
  type WorkerIdentity,
} from './age-stream.js';
export {
  ageRecipientForCard,
  signAttachment,
  parseAttachmentSignature,
  verifyAttachment,
  encryptAttachment,
  decryptAttachment,
  AttachmentWriter,
  AttachmentReader,
  sealAttachmentSignature,
  openAttachmentSignature,
  type AttachmentMetadata,
  type AttachmentMetadataInput,
  type AttachmentSignatureInfo,
  type EncryptedAttachment,
  type SealAttachmentSignatureOptions,
} from './attachment.js';
export {
  MlKem768KeyPair,
  XWingPrivateKey,
  mlkem768Encapsulate,
  mlkem768Decapsulate,
  xwingPublicKey,
  xwingEncapsulate,
  PqSizes,
  type KemEncapsulation,
} from './pq.js';
export {
  generateOtpSecret,
  hotpCode,
  totpCode,
  verifyTotp,
  formatOtpauthUri,
  parseOtpauthUri,
  type OtpAlgorithm,
  type HotpOptions,
  type TotpOptions,
  type VerifyTotpOptions,
  type TotpVerifierState,
  type OtpauthKey,
  type OtpauthKeyInput,
} from './otp.js';
export { argon2id, type Argon2idOptions } from './argon2.js';
export {
  LogClient,
  LogEntryKind,
  LogOperator,
  LogPolicy,
  logCardEntry,
  logLeafHash,
  TileSet,
  tilesForConsistency,
  tilesForInclusion,
  tilesForRoot,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  type AppendedEntry,
  type AuditFinding,
  type AuditReport,
  type HistorySummary,
  type LogPolicyOptions,
  type LogPublication,
  type VerifiedCheckpoint,
} from './log.js';
export {
  safetyNumber,
  safetyFingerprint,
  formatSafetyNumber,
  safetyQrPayload,
  parseSafetyQr,
  verifySafetyQr,
  type SafetyNumber,
  type SafetyCardFingerprint,
  type SafetyQr,
} from './log-safety.js';
export {
  parseLogEvent,
  verifyLogEvent,
  saltedHash,
  verifyBreakGlassReason,
  exportAuditEvent,
  importAuditEvent,
  SaltDomain,
  type ParsedLogEvent,
} from './log-event.js';
export {
  Keystore,
  KeystoreSlotKind,
  KeystoreItemType,
  DEFAULT_KDF_POLICY,
  inspectKeystore,
  keystoreNeedsRehash,
  diagnoseRecoveryKey,
  recoveryGroupValid,
  type KdfParams,
  type KdfPolicy,
  type KdfOptions,
  type KeystoreInfo,
  type KeystoreSlotInfo,
  type KeystoreItemInfo,
  type KeystoreCreateOptions,
  type KeystoreIdentityOptions,
  type PasskeyFactor,
  type PasskeyEnrolment,
  type RecoveryKeyDiagnosis,
} from './keystore.js';
export { KeystoreWorker, type KeystoreWorkerOptions } from './keystore-worker-client.js';
export {
  Group,
  RevocationReason,
  issueKeyLink,
  issueKeyRevocation,
  openEpochKey,
  parseKeyLink,
  parseKeyRevocation,
  parseMembershipState,
  recordsToReseal,
  verifyKeyChain,
  verifyKeyLink,
  verifyKeyRevocation,
  verifyMembershipHistory,
  verifyMembershipState,
  type EpochKeyWrap,
  type GroupCreateOptions,
  type GroupUpdate,
  type KeyLinkInfo,
  type KeyRevocationInfo,
  type MembershipStateInfo,
  type VerifiedKeyChain,
} from './group.js';
export {
  attachmentSubject,
  AuthorChains,
  cardSubject,
  consentSubject,
  type LogEventFields,
  type LogEventOutcome,
  type LogEventType,
  type LogSubject,
  recordSubject,
  type SignedLogEvent,
  signLogEvent,
  type SignLogEventOptions,
} from './log-chain.js';
export {
  breakGlassAttemptAttachment,
  breakGlassAttemptRecord,
  breakGlassEventsAbout,
  breakGlassOpenRecord,
  type BreakGlassAttachmentAttempted,
  type BreakGlassAttempted,
  type BreakGlassOpened,
  type BreakGlassOptions,
  type EmergencyAccess,
} from './log-break-glass.js';
export {
  CardWatch,
  KeyDirectory,
  type CardFinding,
  type CardWatchOptions,
  type DirectoryKeyInfo,
} from './log-directory.js';
export {
  matchRevocationEvent,
  matchRotationEvent,
  revocationEvent,
  rotationEvent,
  type KeyEventOptions,
} from './log-key-events.js';
