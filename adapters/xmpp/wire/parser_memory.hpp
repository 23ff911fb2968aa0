#pragma once
// Where the expat memory of every StreamParser comes from. The wire codec stays independent of
// any allocator: by default expat uses malloc. parleyd, when it links jemalloc, gives the
// parsers an arena of their own (gateway/app/jemalloc_setup.cpp) so that the memory of the
// parsers freed by idle sessions (StreamParser::hibernate) leaves whole pages free, which
// jemalloc returns, instead of holes between the sessions' long-lived objects.
#include <cstddef>

namespace parley::xmpp::wire {

struct ParserMemory {
  void* (*allocate)(std::size_t size);
  void* (*reallocate)(void* pointer, std::size_t size);
  void (*release)(void* pointer);
};

// Process-wide, read by every StreamParser when it creates an expat parser; set it at start-up.
// Each expat parser keeps the functions it was created with, so a later change only affects
// new parsers. nullptr (the default): expat's own (malloc, realloc, free).
void set_stream_parser_memory(const ParserMemory* memory);
const ParserMemory* stream_parser_memory();

}  // namespace parley::xmpp::wire
