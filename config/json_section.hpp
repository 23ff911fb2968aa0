#pragma once
// Section: typed reads from one JSON object of the configuration, collecting a problem per bad
// key instead of throwing. Internal to parley_config.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::config::detail {

using Problems = std::vector<std::string>;

// The closest of `candidates` to `key` (edit distance <= 2 and shorter than the key), or "".
std::string_view closest_key(std::string_view key, const std::vector<std::string_view>& candidates);
// JSON type name as shown to admins: "string", "number", "boolean", "array", "object", "null".
std::string type_name(const nlohmann::json& value);

class Section {
 public:
  // `node` may be null (the section is absent): every read then keeps its default. Unknown keys
  // of `node` are reported at once, with a suggestion from `known`.
  Section(const nlohmann::json* node, std::string path, Problems& problems,
          std::vector<std::string_view> known);

  // Integers in [min, max]; values of any other type or out of range are one problem.
  template <class Int>
  void integer(std::string_view key, Int& out, std::int64_t min,
               std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
    std::int64_t v = 0;
    if (read_integer(key, v, min, max)) out = static_cast<Int>(v);
  }
  void boolean(std::string_view key, bool& out);
  // A string; empty strings are rejected unless allow_empty.
  void string(std::string_view key, std::string& out, bool allow_empty = true);
  // An array of strings; `out` is replaced only when every element is a string.
  void string_list(std::string_view key, std::vector<std::string>& out);
  // One of the names in `names`.
  template <class E>
  void enumeration(std::string_view key, E& out,
                   std::initializer_list<std::pair<std::string_view, E>> names) {
    std::vector<std::string_view> accepted;
    for (const auto& [name, value] : names) accepted.push_back(name);
    std::string text;
    if (!read_enum(key, accepted, text)) return;
    for (const auto& [name, value] : names) {
      if (name == text) out = value;
    }
  }
  // A nested object; absent -> a Section with a null node (defaults stay).
  Section object(std::string_view key, std::vector<std::string_view> known);

  std::string path_of(std::string_view key) const;
  void problem(std::string_view key, std::string message);
  bool present(std::string_view key) const;

 private:
  const nlohmann::json* find(std::string_view key) const;
  bool read_integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max);
  bool read_enum(std::string_view key, const std::vector<std::string_view>& accepted,
                 std::string& out);

  const nlohmann::json* node_;
  std::string path_;
  Problems* problems_;
};

}  // namespace parley::config::detail
