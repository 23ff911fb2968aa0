#include "mapping/xmpp/stanza_writer.hpp"

#include <utility>

#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "mapping/xmpp/namespaces.hpp"

namespace parley::mapping::xmpp {

namespace {

// A payload our serializer wrote from a parsed element (payload_of: serialize() with no
// namespace in scope) is, byte for byte, what parsing it again and serializing it inside a
// jabber:client stanza would give, as long as its own namespace is neither jabber:client (the
// stanza's scope would drop its xmlns) nor empty or the stream namespace (written specially).
// Parsing one costs a whole stream parser (~5 us), and clients send two or three with most
// messages (chat states, receipts, origin-id) and presences (caps).
bool copies_verbatim(const model::ForeignPayload& payload) {
  return payload.written_by_us && !payload.ns.empty() && payload.ns != ns::kClient &&
         payload.ns != ns::kStreams;
}

}  // namespace

StanzaWriter::StanzaWriter(std::string_view name, std::size_t reserve) : name_(name) {
  out_.reserve(reserve);
  out_.push_back('<');
  out_.append(name);
}

void StanzaWriter::attribute(std::string_view name, std::string_view value) {
  out_.push_back(' ');
  out_.append(name);
  out_.append("='");
  wire::append_escaped(out_, value, true);
  out_.push_back('\'');
}

void StanzaWriter::address(std::string_view name, const model::Address& address) {
  if (!address.empty()) attribute(name, address.to_string());
}

void StanzaWriter::text_child(std::string_view name, std::string_view text) {
  open_content();
  out_.push_back('<');
  out_.append(name);
  out_.push_back('>');
  wire::append_escaped(out_, text, false);
  out_.append("</");
  out_.append(name);
  out_.push_back('>');
}

void StanzaWriter::element_child(const wire::XmlElement& child) {
  open_content();
  child.serialize_to(out_, ns::kClient);
}

void StanzaWriter::payloads(const std::vector<model::ForeignPayload>& payloads) {
  for (const auto& payload : payloads) {
    if (payload.origin != model::Protocol::xmpp) continue;
    if (copies_verbatim(payload)) {
      open_content();
      out_.append(payload.data);
      continue;
    }
    auto element = wire::parse_fragment(payload.data);  // as append_payloads
    if (element) element_child(element.value());
  }
}

void StanzaWriter::start_empty_child(std::string_view name, std::string_view xmlns) {
  open_content();
  out_.push_back('<');
  out_.append(name);
  attribute("xmlns", xmlns);
}

void StanzaWriter::end_empty_child() {
  out_.append("/>");
}

void StanzaWriter::open_content() {
  if (content_) return;
  out_.push_back('>');
  content_ = true;
}

std::string StanzaWriter::finish() {
  if (!content_) {
    out_.append("/>");
  } else {
    out_.append("</");
    out_.append(name_);
    out_.push_back('>');
  }
  return std::move(out_);
}

}  // namespace parley::mapping::xmpp
