#include "mapping/sip/pidf.hpp"

#include <cstdint>

#include "mapping/sip/xml_tree.hpp"

namespace parley::mapping::sip {
namespace {

using detail::XmlNode;

std::string trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Stable ids derived from the entity: an XML ID must start with a letter (RFC 3863 §4.1.2).
std::string id_for(std::string_view prefix, std::string_view entity) {
  std::uint32_t h = 2166136261u;  // FNV-1a 32
  for (char c : entity) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(prefix);
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xf];
  return out;
}

void collect_activities(const XmlNode& person, PidfDocument& doc) {
  for (const XmlNode* acts : person.children_named(kRpidNs, "activities")) {
    for (const XmlNode& a : acts->children) {
      // RFC 4480 §3.2: <rpid:other> carries free text; "unknown" says nothing.
      if (a.ns != kRpidNs || a.name == "unknown" || a.name == "other") continue;
      doc.activities.push_back(a.name);
    }
  }
}

}  // namespace

model::Expected<PidfDocument> parse_pidf(std::string_view xml) {
  using Result = model::Expected<PidfDocument>;
  auto tree = detail::parse_xml(xml, {kMaxPidfBytes, kMaxPidfDepth});
  if (!tree) return Result::failure(tree.error());
  const XmlNode& root = *tree;
  if (root.ns != kPidfNs || root.name != "presence") {
    return Result::failure("not a PIDF document (root must be {" + std::string(kPidfNs) +
                           "}presence)");
  }
  PidfDocument doc;
  if (const std::string* entity = root.attribute("entity")) doc.entity = *entity;
  // RFC 3863 §4.1.1: entity is mandatory.
  if (doc.entity.empty()) return Result::failure("PIDF presence without entity");

  std::string tuple_note;
  for (const XmlNode* tuple : root.children_named(kPidfNs, "tuple")) {
    if (const XmlNode* status = tuple->child(kPidfNs, "status")) {
      if (const XmlNode* basic = status->child(kPidfNs, "basic")) {
        std::string value = trim(basic->text);
        if (value == "open") {
          doc.open = true;
        } else if (value == "closed") {
          if (!doc.open) doc.open = false;
        } else {
          return Result::failure("PIDF basic must be open or closed");
        }
      }
    }
    if (tuple_note.empty()) {
      if (const XmlNode* note = tuple->child(kPidfNs, "note")) tuple_note = trim(note->text);
    }
  }
  // RFC 4479 §3.3 / RFC 4480: activities and notes about the person live in dm:person; some
  // clients (older RPID drafts) put rpid:activities in the tuple, accept both.
  for (const XmlNode* person : root.children_named(kDataModelNs, "person")) {
    collect_activities(*person, doc);
    if (doc.note.empty()) {
      if (const XmlNode* note = person->child(kDataModelNs, "note")) doc.note = trim(note->text);
    }
  }
  for (const XmlNode* tuple : root.children_named(kPidfNs, "tuple")) {
    collect_activities(*tuple, doc);
  }
  if (doc.note.empty()) doc.note = tuple_note;
  if (doc.note.empty()) {
    if (const XmlNode* note = root.child(kPidfNs, "note")) doc.note = trim(note->text);
  }
  return doc;
}

model::Presence presence_from_pidf(const PidfDocument& document, const AvailabilityTable& table) {
  model::Presence presence;
  bool open = document.open.value_or(true);
  if (const AvailabilityRow* row = row_for_rpid(table, open, document.activities)) {
    apply_row(*row, presence);
  } else {
    presence.type = open ? model::PresenceType::available : model::PresenceType::unavailable;
  }
  presence.status = document.note;
  return presence;
}

model::Expected<model::Presence> parse_pidf_presence(std::string_view xml,
                                                     const AvailabilityTable& table) {
  auto doc = parse_pidf(xml);
  if (!doc) return model::Expected<model::Presence>::failure(doc.error());
  return presence_from_pidf(*doc, table);
}

std::string build_pidf(const model::Presence& presence, std::string_view entity,
                       const AvailabilityTable& table) {
  const AvailabilityRow* row = row_for_presence(table, presence);
  bool open = row ? row->available : presence.type != model::PresenceType::unavailable;

  XmlNode root;
  root.ns = kPidfNs;
  root.name = "presence";
  root.set_attribute("entity", std::string(entity));

  // RFC 3863 §4.1.2: one tuple with the basic status, the note beside it for clients that
  // read only PIDF.
  XmlNode& tuple = root.add_child(std::string(kPidfNs), "tuple");
  tuple.set_attribute("id", id_for("t", entity));
  XmlNode& status = tuple.add_child(std::string(kPidfNs), "status");
  status.add_child(std::string(kPidfNs), "basic").text = open ? "open" : "closed";
  if (!presence.status.empty()) {
    tuple.add_child(std::string(kPidfNs), "note").text = presence.status;
  }

  // RFC 4479 §3.3 person with the RFC 4480 activity of the row.
  bool has_activity = row && !row->rpid_activity.empty();
  if (has_activity || !presence.status.empty()) {
    XmlNode& person = root.add_child(std::string(kDataModelNs), "person");
    person.set_attribute("id", id_for("p", entity));
    if (has_activity) {
      person.add_child(std::string(kRpidNs), "activities")
          .add_child(std::string(kRpidNs), row->rpid_activity);
    }
    if (!presence.status.empty()) {
      person.add_child(std::string(kDataModelNs), "note").text = presence.status;
    }
  }
  return detail::write_xml(root, {{std::string(kPidfNs), ""},
                                  {std::string(kDataModelNs), "dm"},
                                  {std::string(kRpidNs), "rpid"}});
}

}  // namespace parley::mapping::sip
