// SPDX-License-Identifier: Apache-2.0
// The per-author chains of log events (core/log/event.h AuthorChains), kept
// by handle in wasm/bindings/log_chain.cc and shared with the files that sign
// events into them (log_break_glass.cc).
#ifndef MEDSEAL_WASM_BINDINGS_LOG_CHAIN_H_
#define MEDSEAL_WASM_BINDINGS_LOG_CHAIN_H_

#include "core/log/event.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

HandleTable<tlog::AuthorChains>& AuthorChainsTable();

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_BINDINGS_LOG_CHAIN_H_
