#include "mapping/sip/availability_config.hpp"

#include <limits>

namespace parley::mapping::sip {
namespace {

using nlohmann::json;

constexpr std::string_view kKeys[] = {"name", "show", "available", "rpid", "lync", "lync_range"};

std::optional<model::Show> parse_show(const std::string& name) {
  if (name == "online") return model::Show::online;
  if (name.empty()) return std::nullopt;  // "" would read as online: require the word
  return model::show_from_name(name);
}

bool is_int(const json& v) {
  return v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
         v.get<std::int64_t>() <= std::numeric_limits<int>::max();
}

}  // namespace

model::Expected<AvailabilityTable> availability_table_from_json(const json& rows) {
  using Result = model::Expected<AvailabilityTable>;
  if (!rows.is_array()) return Result::failure("availability: expected an array of rows");
  AvailabilityTable table;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& r = rows[i];
    std::string at = "availability[" + std::to_string(i) + "]";
    if (!r.is_object()) {
      problems.push_back(at + ": expected an object");
      continue;
    }
    for (const auto& [key, value] : r.items()) {
      bool known = false;
      for (std::string_view k : kKeys) known = known || key == k;
      if (!known) problems.push_back(at + "." + key + ": unknown key");
    }
    AvailabilityRow row;
    if (r.contains("name") && r["name"].is_string()) {
      row.name = r["name"].get<std::string>();
    } else {
      problems.push_back(at + ".name: expected a string");
    }
    if (r.contains("show") && r["show"].is_string()) {
      std::string show = r["show"].get<std::string>();
      if (auto s = parse_show(show)) {
        row.show = *s;
      } else {
        problems.push_back(at + ".show: unknown show \"" + show +
                           "\" (online, chat, away, xa, dnd)");
      }
    } else if (r.contains("show")) {
      problems.push_back(at + ".show: expected a string");
    }
    if (r.contains("available")) {
      if (r["available"].is_boolean()) {
        row.available = r["available"].get<bool>();
      } else {
        problems.push_back(at + ".available: expected true or false");
      }
    }
    if (r.contains("rpid")) {
      if (r["rpid"].is_string()) {
        row.rpid_activity = r["rpid"].get<std::string>();
      } else {
        problems.push_back(at + ".rpid: expected a string");
      }
    }
    if (r.contains("lync") && is_int(r["lync"])) {
      row.lync_availability = r["lync"].get<int>();
      row.lync_min = row.lync_max = row.lync_availability;
    } else {
      problems.push_back(at + ".lync: expected a non-negative integer");
    }
    if (r.contains("lync_range")) {
      const json& range = r["lync_range"];
      if (range.is_array() && range.size() == 2 && is_int(range[0]) && is_int(range[1])) {
        row.lync_min = range[0].get<int>();
        row.lync_max = range[1].get<int>();
      } else {
        problems.push_back(at + ".lync_range: expected [min, max] of non-negative integers");
      }
    }
    table.rows.push_back(std::move(row));
  }
  if (problems.empty()) {
    for (std::string& p : validate_availability_table(table)) {
      problems.push_back("availability: " + p);
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) {
      if (!message.empty()) message += '\n';
      message += p;
    }
    return Result::failure(std::move(message));
  }
  return table;
}

json availability_table_to_json(const AvailabilityTable& table) {
  json rows = json::array();
  for (const AvailabilityRow& r : table.rows) {
    std::string_view show = model::show_name(r.show);
    json row = {
        {"name", r.name},
        {"show", show.empty() ? "online" : std::string(show)},
        {"available", r.available},
        {"rpid", r.rpid_activity},
        {"lync", r.lync_availability},
        {"lync_range", json::array({r.lync_min, r.lync_max})},
    };
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace parley::mapping::sip
