#include "adapters/xmpp/wire/parser_memory.hpp"

#include <atomic>

namespace parley::xmpp::wire {
namespace {
std::atomic<const ParserMemory*> g_memory{nullptr};
}  // namespace

void set_stream_parser_memory(const ParserMemory* memory) {
  g_memory.store(memory, std::memory_order_release);
}

const ParserMemory* stream_parser_memory() {
  return g_memory.load(std::memory_order_acquire);
}

}  // namespace parley::xmpp::wire
