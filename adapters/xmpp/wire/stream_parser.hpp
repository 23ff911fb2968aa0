#pragma once
// StreamParser: incremental, restricted XML parsing of one XMPP stream (RFC 6120 §4, §11).
// Feed bytes as they arrive; complete top-level stanzas (depth-1 children of <stream:stream>)
// come out as XmlElement trees. Pure codec: no sockets. Built on expat.
//
// Restrictions (RFC 6120 §11.1): DOCTYPE, entity declarations, processing instructions and
// comments are refused with restricted_xml. Caps: stanza bytes (policy_violation), depth and
// attribute count (policy_violation). Malformed XML -> not_well_formed. Whitespace between
// stanzas (keepalives) is ignored.
//
// Idle streams can hibernate(): between stanzas the expat parser (~10 KB) is freed and only the
// client's stream header bytes are kept; the next feed() rebuilds the parser by re-reading them.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::xmpp::wire {

struct ParserLimits {
  std::size_t max_stanza_bytes = 256 * 1024;
  std::size_t max_depth = 32;
  std::size_t max_attributes = 64;
};

// The attributes of the opening <stream:stream> tag.
struct StreamHeader {
  std::string to;
  std::string from;
  std::string id;
  std::string version;                       // "1.0"
  std::string lang;                          // xml:lang
  std::string content_ns = "jabber:client";  // default namespace of the stream
  bool stream_ns_ok =
      true;  // false when the element is not {http://etherx.jabber.org/streams}stream
};

enum class ParseError {
  not_well_formed,    // RFC 6120 §4.9.3.13
  restricted_xml,     // §4.9.3.18
  policy_violation,   // size/depth caps, §4.9.3.14
  invalid_namespace,  // §4.9.3.10 (wrong stream namespace)
  bad_format,         // §4.9.3.1 (e.g. a stanza before the stream header)
};
std::string_view parse_error_condition(ParseError error);  // the stream error condition name

class StreamParser {
 public:
  struct Callbacks {
    std::function<void(const StreamHeader&)> on_stream_open;
    std::function<void(XmlElement&&)> on_stanza;
    std::function<void()> on_stream_close;
    std::function<void(ParseError, std::string detail)> on_error;
  };

  StreamParser(ParserLimits limits, Callbacks callbacks);
  ~StreamParser();
  StreamParser(const StreamParser&) = delete;
  StreamParser& operator=(const StreamParser&) = delete;

  // Returns false once an error was reported (the parser stays stopped until reset()).
  // Callbacks may call reset() (e.g. at a stream restart); feed() stops processing then and
  // returns true: the remaining bytes of this chunk belong to the old stream.
  bool feed(std::string_view bytes);
  // A fresh parser for a new stream (RFC 6120 §4.3.3 restart after STARTTLS / SASL).
  void reset();
  // Bytes of the stanza currently being parsed (for the size cap).
  std::size_t pending_stanza_bytes() const;

  // Frees the expat parser (~10 KB, more after big stanzas) and spare buffers of an idle
  // stream; returns whether it did. It does so only between stanzas, with no byte of an
  // unfinished token buffered; it refuses (false, nothing changed) before the stream header,
  // mid-stanza, mid-token, after the stream closed or failed, inside a callback, when already
  // hibernating, and when the stream header was over 2 KiB. Either way nothing observable
  // changes, so it may be called at any moment. The next feed() pays a few microseconds for a
  // new parser: call it when the stream has been idle for a while, not after every read.
  bool hibernate();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The opening tag we send, e.g. <?xml version='1.0'?><stream:stream xmlns=... id=... >
std::string serialize_stream_header(const StreamHeader& header);
inline constexpr std::string_view kStreamClose = "</stream:stream>";

}  // namespace parley::xmpp::wire
