#pragma once
// The availability table: one row per availability state, mapping between the XMPP <show/>
// (RFC 6121 §4.7.2.1), the PIDF basic status (RFC 3863 §4.1.4) with an RPID activity (RFC 4480
// §3.2) and the Lync/OCS availability numbers (3500 online, 6500 busy, 9500 do not disturb,
// 12500 be right back, 15500 away, 18500 offline; each the middle of a range of 1500 or 3000).
//
// Lookups are "first matching row wins" in each direction, so several rows may share a key and
// the order says which one is the canonical one. The default table (docs/sip.md):
//
//   name       show    available rpid     lync  lync range     note
//   available  online  yes       -        3500  3000..4499
//   chat       chat    yes       -        3500  3000..4499     Lync has no "free for chat"
//   dnd        dnd     yes       busy     9500  9000..11999
//   busy       dnd     yes       busy     6500  6000..8999     XMPP has no "busy": dnd
//   away       away    yes       away    15500  15000..17999
//   brb        away    yes       away    12500  12000..14999
//   xa         xa      yes       away    15500  15000..17999   shown as away in Lync
//   idle       away    yes       away     5000  4500..5999     Lync "inactive" (available-idle)
//   offline    online  no        -       18500  18000..max
//
// So XMPP dnd -> Lync 9500, Lync 6500 -> XMPP dnd, Lync 5000 -> XMPP away, rpid busy -> dnd,
// rpid away -> away; unknown RPID activities fall back to the row with the same availability
// and no activity ("available" / "offline").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/model/presence.hpp"

namespace parley::mapping::sip {

struct AvailabilityRow {
  std::string name;  // the row's key in the configuration ("busy")
  model::Show show = model::Show::online;
  bool available = true;         // PIDF basic open / XMPP available vs closed / unavailable
  std::string rpid_activity;     // RFC 4480 activity element name, "" for none
  int lync_availability = 3500;  // the number published for this row
  int lync_min = 3000;           // numbers in [lync_min, lync_max] map to this row
  int lync_max = 4499;
  friend bool operator==(const AvailabilityRow&, const AvailabilityRow&) = default;
};

struct AvailabilityTable {
  std::vector<AvailabilityRow> rows;
  friend bool operator==(const AvailabilityTable&, const AvailabilityTable&) = default;
};

// The built-in table above.
const AvailabilityTable& default_availability_table();

// Problems of a table, empty when usable: every show has an available row, there is an
// unavailable row, names are unique and non-empty, lync_min <= lync_availability <= lync_max,
// RPID activities are XML names.
std::vector<std::string> validate_availability_table(const AvailabilityTable& table);

// ---- lookups (first matching row; nullptr when none) ----
// The row for an XMPP presence: unavailable -> the first unavailable row; otherwise the first
// available row with that show.
const AvailabilityRow* row_for_presence(const AvailabilityTable& table,
                                        const model::Presence& presence);
const AvailabilityRow* row_for_show(const AvailabilityTable& table, model::Show show);
// By Lync availability number: the first row whose range contains it (nullptr below 3000 in
// the default table: Lync uses 0 for "none").
const AvailabilityRow* row_for_lync(const AvailabilityTable& table, int availability);
// By PIDF basic status and RPID activities (several may be given, RFC 4480 §3.2): the first row
// with that availability whose activity is among them; else the first row with that
// availability and no activity; else the first row with that availability.
const AvailabilityRow* row_for_rpid(const AvailabilityTable& table, bool open,
                                    const std::vector<std::string>& activities);

// Convenience: the show / availability / number in each direction.
int lync_availability_for(const AvailabilityTable& table, const model::Presence& presence);
// Sets type (available/unavailable) and show of `presence` from the row.
void apply_row(const AvailabilityRow& row, model::Presence& presence);

}  // namespace parley::mapping::sip
