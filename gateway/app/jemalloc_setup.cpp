// jemalloc, as parleyd uses it: the options it starts with, and the XML parsers' own arena.
#include "gateway/app/jemalloc_setup.hpp"

#include <jemalloc/jemalloc.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "adapters/xmpp/wire/parser_memory.hpp"

// The options, read by jemalloc at its first allocation (before main). The MALLOC_CONF
// environment variable still overrides them. dirty_decay_ms: pages unused for ~2 s go back to
// the kernel (default 10 s); a busy daemon reuses its pages far sooner than that, and the io
// threads already touch them again. See start_returning_idle_pages() for the quiet daemon.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface (man 3 jemalloc, "malloc_conf").
const char* malloc_conf = "dirty_decay_ms:2000";
}

namespace parley::app {
namespace {

// Set once by use_parser_arena() before any parser exists; read by the io threads after.
int g_parser_flags = 0;

// No thread cache: a cached block may belong to any arena, and a freed one would linger in
// the io thread's cache. Parsers are made at logins and wake-ups, not per stanza.
void* parser_allocate(std::size_t size) {
  return mallocx(std::max<std::size_t>(size, 1), g_parser_flags);
}
void* parser_reallocate(void* pointer, std::size_t size) {
  if (!pointer) return parser_allocate(size);
  return rallocx(pointer, std::max<std::size_t>(size, 1), g_parser_flags);
}
void parser_release(void* pointer) {
  if (pointer) dallocx(pointer, MALLOCX_TCACHE_NONE);
}

const xmpp::wire::ParserMemory kParserMemory{parser_allocate, parser_reallocate, parser_release};

}  // namespace

void use_parser_arena() {
  unsigned arena = 0;
  std::size_t size = sizeof(arena);
  if (mallctl("arenas.create", &arena, &size, nullptr, 0) != 0) return;
  g_parser_flags = MALLOCX_ARENA(arena) | MALLOCX_TCACHE_NONE;
  xmpp::wire::set_stream_parser_memory(&kParserMemory);
}

void start_returning_idle_pages() {
  static std::jthread upkeep([](std::stop_token stop) {
    // "arena.<MALLCTL_ARENAS_ALL>.decay": every arena returns what its decay curve says is due.
    const std::string name = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".decay";
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; })) {
      if (stop.stop_requested()) break;
      mallctl(name.c_str(), nullptr, nullptr, nullptr, 0);
    }
  });
}

}  // namespace parley::app
