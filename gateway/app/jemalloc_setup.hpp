#pragma once
// parleyd's use of jemalloc beyond replacing malloc (built only when parleyd links jemalloc:
// CMakeLists.txt PARLEY_JEMALLOC; the daemon calls this when PARLEY_WITH_JEMALLOC is defined).

namespace parley::app {

// Gives the XMPP stream parsers an arena of their own (xmpp::wire::set_stream_parser_memory).
// Why: a session's expat parser (~9 KB) is allocated during its login, between the session's
// long-lived objects, and freed when the session goes quiet (parser_rest_s). In the shared
// arenas that leaves holes in pages that stay resident; in their own arena the freed parsers
// leave whole pages, which jemalloc returns. Logs nothing; on failure (no arena can be created)
// the parsers keep malloc.
void use_parser_arena();

// Starts a thread that, once a second, has jemalloc return the pages its decay time says are
// unused. Why: jemalloc decays only while the process allocates, so a daemon that went quiet
// (its sessions idle, their parsers freed) would keep the peak of its busy minute resident for
// good: 16.8 KB per idle connection after a 15 s hold with 1000 of them, 8.3 KB with this and
// the parser arena (bench/TUNING.md, 2026-12-03 session 4). jemalloc's own background_thread
// option does the same, but it cost 10-25 % of the message throughput in the benchmarks.
void start_returning_idle_pages();

}  // namespace parley::app
