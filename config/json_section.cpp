#include "config/json_section.hpp"

#include <algorithm>

namespace parley::config::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string json_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

std::string describe_range(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) {
    return "an integer >= " + std::to_string(min);
  }
  return "an integer " + std::to_string(min) + "-" + std::to_string(max);
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::string_view closest_key(std::string_view key,
                             const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view candidate : candidates) {
    std::size_t d = edit_distance(key, candidate);
    if (d < best_distance && d < key.size()) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    case nlohmann::json::value_t::null:
      return "null";
    default:
      return "unsupported value";
  }
}

Section::Section(const nlohmann::json* node, std::string path, Problems& problems,
                 std::vector<std::string_view> known)
    : node_(node), path_(std::move(path)), problems_(&problems) {
  if (node_ == nullptr) return;
  for (const auto& [key, value] : node_->items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string message = "unknown key";
    std::string_view suggestion = closest_key(key, known);
    if (!suggestion.empty()) {
      message += " (did you mean '";
      message += suggestion;
      message += "'?)";
    }
    problem(key, std::move(message));
  }
}

std::string Section::path_of(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

void Section::problem(std::string_view key, std::string message) {
  problems_->push_back(path_of(key) + ": " + message);
}

bool Section::present(std::string_view key) const {
  return find(key) != nullptr;
}

const nlohmann::json* Section::find(std::string_view key) const {
  if (node_ == nullptr) return nullptr;
  auto it = node_->find(key);
  return it == node_->end() ? nullptr : &*it;
}

bool Section::read_integer(std::string_view key, std::int64_t& out, std::int64_t min,
                           std::int64_t max) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return false;
  std::string expected = "expected " + describe_range(min, max) + ", got ";
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max)) {
      problem(key, expected + std::to_string(u));
      return false;
    }
    out = static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    out = v->get<std::int64_t>();
  } else {
    problem(key, expected + (v->is_number() ? v->dump() : type_name(*v)));
    return false;
  }
  if (out < min || out > max) {
    problem(key, expected + std::to_string(out));
    return false;
  }
  return true;
}

void Section::boolean(std::string_view key, bool& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) {
    problem(key, "expected a boolean (true or false), got " + type_name(*v));
    return;
  }
  out = v->get<bool>();
}

void Section::string(std::string_view key, std::string& out, bool allow_empty) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_string()) {
    problem(key, "expected a string, got " + type_name(*v));
    return;
  }
  auto s = v->get<std::string>();
  if (s.empty() && !allow_empty) {
    problem(key, "expected a non-empty string");
    return;
  }
  out = std::move(s);
}

void Section::string_list(std::string_view key, std::vector<std::string>& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_array()) {
    problem(key, "expected an array of strings, got " + type_name(*v));
    return;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      problem(std::string(key) + "[" + std::to_string(i) + "]",
              "expected a string, got " + type_name(item));
      ok = false;
      continue;
    }
    items.push_back(item.get<std::string>());
  }
  if (ok) out = std::move(items);
}

bool Section::read_enum(std::string_view key, const std::vector<std::string_view>& accepted,
                        std::string& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return false;
  std::string expected = "expected one of " + join(accepted) + ", got ";
  if (!v->is_string()) {
    problem(key, expected + type_name(*v));
    return false;
  }
  out = v->get<std::string>();
  if (std::find(accepted.begin(), accepted.end(), out) == accepted.end()) {
    problem(key, expected + json_quoted(out));
    return false;
  }
  return true;
}

Section Section::object(std::string_view key, std::vector<std::string_view> known) {
  const nlohmann::json* v = find(key);
  if (v != nullptr && !v->is_object()) {
    problem(key, "expected an object, got " + type_name(*v));
    v = nullptr;
  }
  return Section(v, path_of(key), *problems_, std::move(known));
}

}  // namespace parley::config::detail
