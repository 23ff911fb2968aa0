#include "adapters/xmpp/wire/fragment_parser.hpp"

#include <optional>
#include <utility>

namespace parley::xmpp::wire {

model::Expected<XmlElement, FragmentError> parse_fragment(std::string_view xml,
                                                          std::string_view default_ns,
                                                          const ParserLimits& limits) {
  using Result = model::Expected<XmlElement, FragmentError>;
  std::optional<XmlElement> element;
  std::size_t elements = 0;
  bool closed = false;
  std::optional<FragmentError> error;

  // The fragment is parsed as the only stanza of a synthetic stream, so exactly the same
  // restrictions and caps apply as on the wire.
  StreamParser parser(limits, StreamParser::Callbacks{
                                  .on_stream_open = {},
                                  .on_stanza =
                                      [&](XmlElement&& e) {
                                        if (elements++ == 0) element = std::move(e);
                                      },
                                  .on_stream_close = [&] { closed = true; },
                                  .on_error =
                                      [&](ParseError e, std::string detail) {
                                        if (!error) error = FragmentError{e, std::move(detail)};
                                      },
                              });
  StreamHeader wrapper;
  wrapper.content_ns = std::string(default_ns);
  if (parser.feed(serialize_stream_header(wrapper)) && parser.feed(xml) && !closed) {
    parser.feed(kStreamClose);
  } else if (!error && closed) {
    error = FragmentError{ParseError::not_well_formed, "the fragment closes its stream"};
  }
  if (error) return Result::failure(std::move(*error));
  if (elements != 1 || !closed) {
    return Result::failure(FragmentError{ParseError::not_well_formed,
                                         elements == 0 ? "no element" : "more than one element"});
  }
  return std::move(*element);
}

}  // namespace parley::xmpp::wire
