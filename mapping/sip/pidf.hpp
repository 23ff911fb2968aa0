#pragma once
// PIDF (RFC 3863) with the RPID extension (RFC 4480) and the data model of RFC 4479 <->
// model::Presence, for SUBSCRIBE/NOTIFY (RFC 3856) and PUBLISH (RFC 3903) bodies of type
// application/pidf+xml.
//
// Built documents look like:
//   <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
//     <tuple id="t..."><status><basic>open</basic></status><note>In a meeting</note></tuple>
//     <dm:person id="p..."><rpid:activities><rpid:busy/></rpid:activities>
//       <dm:note>In a meeting</dm:note></dm:person>
//   </presence>
// Parsing is restricted XML (expat): no DOCTYPE, no entity declarations, no processing
// instructions other than the XML declaration, at most kMaxPidfBytes and kMaxPidfDepth.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/model/expected.hpp"
#include "mapping/model/presence.hpp"
#include "mapping/sip/presence_mapping.hpp"

namespace parley::mapping::sip {

inline constexpr std::string_view kPidfContentType = "application/pidf+xml";
inline constexpr std::string_view kPidfNs = "urn:ietf:params:xml:ns:pidf";
inline constexpr std::string_view kDataModelNs = "urn:ietf:params:xml:ns:pidf:data-model";
inline constexpr std::string_view kRpidNs = "urn:ietf:params:xml:ns:pidf:rpid";
inline constexpr std::size_t kMaxPidfBytes = 64 * 1024;
inline constexpr std::size_t kMaxPidfDepth = 32;

// What a PIDF document says, before mapping.
struct PidfDocument {
  std::string entity;  // the presence/@entity URI ("sip:alice@example.com" or "pres:...")
  // RFC 3863 §4.1.4: the presentity is open when any tuple's basic status is open. A document
  // with no tuple (or no basic) says nothing about availability: nullopt.
  std::optional<bool> open;
  std::vector<std::string> activities;  // RPID activity names, in document order ("busy")
  std::string note;                     // the first note (person, then tuple, then presence)
};

// Parses a PIDF document. Errors name the problem ("not a PIDF document", "DOCTYPE not
// allowed", "too large", ...); the SIP layer answers 400 (or 415 for a wrong type).
model::Expected<PidfDocument> parse_pidf(std::string_view xml);

// model::Presence with type available/unavailable, show and status (the note) from a document
// through the availability table. A document without availability counts as open (RFC 3903
// publishers send closed explicitly when going offline). `from`/`to` are left empty.
model::Presence presence_from_pidf(const PidfDocument& document, const AvailabilityTable& table);
model::Expected<model::Presence> parse_pidf_presence(std::string_view xml,
                                                     const AvailabilityTable& table);

// A PIDF document for `presence` (available/unavailable, show, status) about `entity`
// ("sip:alice@example.com"), RPID activity from the table. Tuple and person ids are derived
// from the entity, so the same state gives the same document.
std::string build_pidf(const model::Presence& presence, std::string_view entity,
                       const AvailabilityTable& table);

}  // namespace parley::mapping::sip
