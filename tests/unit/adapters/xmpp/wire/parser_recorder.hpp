#pragma once
// Test helper: records every StreamParser event as one line of text, so whole-buffer and
// byte-by-byte runs can be compared event for event.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/stream_parser.hpp"

namespace parley::xmpp::wire::testing {

struct Recorder {
  std::vector<std::string> events;
  std::vector<XmlElement> stanzas;
  std::vector<StreamHeader> headers;
  std::vector<ParseError> errors;

  StreamParser::Callbacks callbacks() {
    return {
        .on_stream_open =
            [this](const StreamHeader& h) {
              headers.push_back(h);
              events.push_back("open to=" + h.to + " from=" + h.from + " version=" + h.version +
                               " lang=" + h.lang + " ns=" + h.content_ns +
                               (h.stream_ns_ok ? "" : " bad-ns"));
            },
        .on_stanza =
            [this](XmlElement&& e) {
              events.push_back("stanza " + e.serialize());
              stanzas.push_back(std::move(e));
            },
        .on_stream_close = [this] { events.push_back("close"); },
        .on_error =
            [this](ParseError error, std::string) {
              errors.push_back(error);
              events.push_back("error " + std::string(parse_error_condition(error)));
            },
    };
  }
};

// Feeds `input` in one call, or byte by byte until the parser refuses.
inline Recorder run(std::string_view input, bool byte_by_byte, ParserLimits limits = {}) {
  Recorder recorder;
  StreamParser parser(limits, recorder.callbacks());
  if (!byte_by_byte) {
    parser.feed(input);
  } else {
    for (char c : input) {
      if (!parser.feed(std::string_view(&c, 1))) break;
    }
  }
  return recorder;
}

}  // namespace parley::xmpp::wire::testing
