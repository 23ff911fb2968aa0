#include "mapping/sip/presence_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

namespace parley::mapping::sip {
namespace {

using model::Show;

AvailabilityRow row(std::string name, Show show, bool available, std::string rpid, int lync,
                    int lync_min, int lync_max) {
  return AvailabilityRow{std::move(name), show,    available, std::move(rpid), lync,
                         lync_min,        lync_max};
}

AvailabilityTable make_default_table() {
  constexpr int kMax = std::numeric_limits<int>::max();
  // Lync availability ranges as published by Microsoft for OCS 2007 R2 / Lync 2010 clients:
  // 3000-4499 available, 4500-5999 available-idle, 6000-7499 busy, 7500-8999 busy-idle,
  // 9000-11999 do not disturb, 12000-14999 be right back, 15000-17999 away, 18000+ offline.
  return AvailabilityTable{{
      row("available", Show::online, true, "", 3500, 3000, 4499),
      row("chat", Show::chat, true, "", 3500, 3000, 4499),
      row("dnd", Show::dnd, true, "busy", 9500, 9000, 11999),
      row("busy", Show::dnd, true, "busy", 6500, 6000, 8999),
      row("away", Show::away, true, "away", 15500, 15000, 17999),
      row("brb", Show::away, true, "away", 12500, 12000, 14999),
      row("xa", Show::xa, true, "away", 15500, 15000, 17999),
      row("idle", Show::away, true, "away", 5000, 4500, 5999),
      row("offline", Show::online, false, "", 18500, 18000, kMax),
  }};
}

// RFC 4480 activities are elements: an XML NCName without a colon.
bool is_ncname(std::string_view name) {
  if (name.empty()) return false;
  auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  auto rest = [&](unsigned char c) { return start(c) || std::isdigit(c) || c == '-' || c == '.'; };
  if (!start(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return rest(static_cast<unsigned char>(c)); });
}

}  // namespace

const AvailabilityTable& default_availability_table() {
  static const AvailabilityTable kTable = make_default_table();  // immutable constant
  return kTable;
}

std::vector<std::string> validate_availability_table(const AvailabilityTable& table) {
  std::vector<std::string> problems;
  std::set<std::string> names;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const AvailabilityRow& r = table.rows[i];
    std::string where = "row " + std::to_string(i) + " (" + r.name + ")";
    if (r.name.empty()) problems.push_back("row " + std::to_string(i) + ": empty name");
    if (!r.name.empty() && !names.insert(r.name).second) {
      problems.push_back(where + ": duplicate name");
    }
    if (r.lync_min > r.lync_max) problems.push_back(where + ": lync range is empty");
    if (r.lync_availability < r.lync_min || r.lync_availability > r.lync_max) {
      problems.push_back(where + ": lync availability " + std::to_string(r.lync_availability) +
                         " is outside its range");
    }
    if (!r.rpid_activity.empty() && !is_ncname(r.rpid_activity)) {
      problems.push_back(where + ": rpid activity \"" + r.rpid_activity + "\" is not an XML name");
    }
  }
  for (Show show : {Show::online, Show::chat, Show::away, Show::xa, Show::dnd}) {
    if (!row_for_show(table, show)) {
      std::string_view name = model::show_name(show);
      problems.push_back("no available row for show \"" +
                         std::string(name.empty() ? "online" : name) + "\"");
    }
  }
  bool has_offline = std::any_of(table.rows.begin(), table.rows.end(),
                                 [](const AvailabilityRow& r) { return !r.available; });
  if (!has_offline) problems.push_back("no unavailable (offline) row");
  return problems;
}

const AvailabilityRow* row_for_show(const AvailabilityTable& table, model::Show show) {
  for (const AvailabilityRow& r : table.rows) {
    if (r.available && r.show == show) return &r;
  }
  return nullptr;
}

const AvailabilityRow* row_for_presence(const AvailabilityTable& table,
                                        const model::Presence& presence) {
  if (presence.type == model::PresenceType::unavailable) {
    for (const AvailabilityRow& r : table.rows) {
      if (!r.available) return &r;
    }
    return nullptr;
  }
  return row_for_show(table, presence.show);
}

const AvailabilityRow* row_for_lync(const AvailabilityTable& table, int availability) {
  for (const AvailabilityRow& r : table.rows) {
    if (availability >= r.lync_min && availability <= r.lync_max) return &r;
  }
  return nullptr;
}

const AvailabilityRow* row_for_rpid(const AvailabilityTable& table, bool open,
                                    const std::vector<std::string>& activities) {
  // RFC 4480 §3.2: several activities may hold at once; the table order decides which one
  // is shown (first row that matches any of them).
  for (const AvailabilityRow& r : table.rows) {
    if (r.available != open || r.rpid_activity.empty()) continue;
    if (std::find(activities.begin(), activities.end(), r.rpid_activity) != activities.end()) {
      return &r;
    }
  }
  for (const AvailabilityRow& r : table.rows) {
    if (r.available == open && r.rpid_activity.empty()) return &r;
  }
  for (const AvailabilityRow& r : table.rows) {
    if (r.available == open) return &r;
  }
  return nullptr;
}

int lync_availability_for(const AvailabilityTable& table, const model::Presence& presence) {
  const AvailabilityRow* r = row_for_presence(table, presence);
  if (r) return r->lync_availability;
  // A table validated by validate_availability_table() always has a row; these are the
  // documented Lync numbers as a last resort.
  return presence.type == model::PresenceType::unavailable ? 18500 : 3500;
}

void apply_row(const AvailabilityRow& row, model::Presence& presence) {
  presence.type = row.available ? model::PresenceType::available : model::PresenceType::unavailable;
  presence.show = row.available ? row.show : model::Show::online;
}

}  // namespace parley::mapping::sip
