#pragma once
// Structured logging: one line per event, "key=value" text or JSON lines, to stderr.
// Every line carries a component and, where there is one, the session id.
//   PARLEY_LOG_INFO("xmpp", session_id, "bound", {{"jid", full}, {"ip", ip}});
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace parley::log {

enum class Level { debug, info, warn, error };
enum class Format { text, json };

void configure(Level level, Format format);
bool enabled(Level level);
std::optional<Level> level_from_name(std::string_view name);

using Field = std::pair<std::string_view, std::string>;
void write(Level level, std::string_view component, std::string_view session,
           std::string_view event, std::initializer_list<Field> fields = {});

}  // namespace parley::log

#define PARLEY_LOG(level, component, session, event, ...)                                \
  do {                                                                                   \
    if (::parley::log::enabled(level))                                                   \
      ::parley::log::write(level, component, session, event __VA_OPT__(, ) __VA_ARGS__); \
  } while (0)
#define PARLEY_LOG_DEBUG(...) PARLEY_LOG(::parley::log::Level::debug, __VA_ARGS__)
#define PARLEY_LOG_INFO(...) PARLEY_LOG(::parley::log::Level::info, __VA_ARGS__)
#define PARLEY_LOG_WARN(...) PARLEY_LOG(::parley::log::Level::warn, __VA_ARGS__)
#define PARLEY_LOG_ERROR(...) PARLEY_LOG(::parley::log::Level::error, __VA_ARGS__)
