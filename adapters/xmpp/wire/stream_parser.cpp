#include "adapters/xmpp/wire/stream_parser.hpp"

#include <expat.h>

#include <algorithm>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "adapters/xmpp/wire/parser_memory.hpp"

namespace parley::xmpp::wire {

namespace {

// Separates namespace URI and local name in the names expat reports. 0xFF never occurs in
// UTF-8, so it cannot be part of a URI or a name.
constexpr char kNsSeparator = '\xFF';
constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
// XML_Parse takes an int length; larger chunks are fed in slices.
constexpr std::size_t kMaxSlice = 1 << 20;
// A stream header kept for hibernation is at most this long (real ones are ~150-300 bytes).
// Longer headers are not kept: such a stream never hibernates, and costs no more than before.
constexpr std::size_t kMaxSavedHeader = 2048;

struct QName {
  std::string_view ns;
  std::string_view local;
};

QName split_name(const XML_Char* name) {
  std::string_view s(name);
  auto sep = s.find(kNsSeparator);
  if (sep == std::string_view::npos) return {{}, s};
  return {s.substr(0, sep), s.substr(sep + 1)};
}

bool is_xml_whitespace(std::string_view s) {
  // XML 1.0 §2.3 S production.
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// A place in the text as expat counts it: lines from 1, columns from 0.
struct TextPosition {
  XML_Size line = 1;
  XML_Size column = 0;
};

TextPosition position_of(XML_Parser parser) {
  return {XML_GetCurrentLineNumber(parser), XML_GetCurrentColumnNumber(parser)};
}

// A parser woken from hibernation has read the saved header and then the bytes that came after
// the hibernation point; this maps its positions back to positions in the stream as the client
// sent it, so error details name the same line and column as without hibernation. The default
// map (nothing hibernated yet) is the identity.
struct PositionMap {
  TextPosition origin;      // in the stream: where the freed parser had got to
  TextPosition replay_end;  // in the woken parser: just after the replayed header

  TextPosition to_stream(TextPosition p) const {
    if (p.line == replay_end.line) {
      return {origin.line, origin.column + (p.column - replay_end.column)};
    }
    return {origin.line + (p.line - replay_end.line), p.column};
  }
};

}  // namespace

std::string_view parse_error_condition(ParseError error) {
  switch (error) {
    case ParseError::not_well_formed:
      return "not-well-formed";
    case ParseError::restricted_xml:
      return "restricted-xml";
    case ParseError::policy_violation:
      return "policy-violation";
    case ParseError::invalid_namespace:
      return "invalid-namespace";
    case ParseError::bad_format:
      return "bad-format";
  }
  return "undefined-condition";
}

struct StreamParser::Impl {
  enum class State { expect_header, open, closed, failed };
  struct Failure {
    ParseError error;
    std::string detail;
  };

  // The expat parser is created by the first feed(): see ensure_parser().
  Impl(ParserLimits limits, Callbacks callbacks)
      : limits_(limits), callbacks_(std::move(callbacks)) {}
  ~Impl() {
    for (XML_Parser p : retired_) XML_ParserFree(p);
    if (parser_) XML_ParserFree(parser_);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void create_parser() {
    // "UTF-8" overrides any encoding declaration: XMPP is UTF-8 only (RFC 6120 §11.6).
    // expat copies the suite: it frees this parser with these functions whatever comes later.
    XML_Memory_Handling_Suite suite{};
    const ParserMemory* memory = stream_parser_memory();
    if (memory) suite = {memory->allocate, memory->reallocate, memory->release};
    parser_ = XML_ParserCreate_MM("UTF-8", memory ? &suite : nullptr, &kNsSeparator);
    if (!parser_) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &Impl::on_start, &Impl::on_end);
    XML_SetCharacterDataHandler(parser_, &Impl::on_text);
    XML_SetStartNamespaceDeclHandler(parser_, &Impl::on_namespace_decl);
    XML_SetCdataSectionHandler(parser_, &Impl::on_cdata_start, &Impl::on_cdata_end);
    // RFC 6120 §11.1: no comments, processing instructions, DTDs or entity declarations.
    XML_SetCommentHandler(parser_, &Impl::on_comment);
    XML_SetProcessingInstructionHandler(parser_, &Impl::on_processing_instruction);
    XML_SetStartDoctypeDeclHandler(parser_, &Impl::on_doctype);
    XML_SetEntityDeclHandler(parser_, &Impl::on_entity_decl);
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
  }

  // The next feed() makes the new parser (ensure_parser()).
  void reset() {
    if (in_feed_) {
      // We are inside XML_Parse of the current parser: stop it and free it only once
      // XML_Parse has returned (feed() does that).
      if (parser_ && parser_ == running_) XML_StopParser(parser_, XML_FALSE);
      if (parser_) retired_.push_back(parser_);
      restarted_ = true;
    } else if (parser_) {
      XML_ParserFree(parser_);
    }
    parser_ = nullptr;
    state_ = State::expect_header;
    depth_ = 0;
    stack_.clear();
    stream_default_ns_.reset();
    fed_ = 0;
    mark_ = 0;
    in_cdata_ = false;
    failure_.reset();
    saved_header_.emplace();
    positions_ = {};
  }

  // ---- hibernation ----

  bool hibernate() {
    if (!at_rest()) return false;
    positions_.origin = positions_.to_stream(position_of(parser_));
    XML_ParserFree(parser_);
    parser_ = nullptr;
    // Spare capacity left by the last stanza / restart; both are empty here.
    std::vector<XmlElement>().swap(stack_);
    std::vector<XML_Parser>().swap(retired_);
    return true;
  }

  // True when the freed parser would be in exactly the state a replay of the header recreates:
  // inside the stream element (depth 1, the header's namespace bindings), not in a CDATA
  // section, with no input buffered.
  bool at_rest() const {
    if (in_feed_ || !parser_ || !saved_header_) return false;
    if (state_ != State::open || depth_ != 1 || !stack_.empty() || in_cdata_) return false;
    // mark_ is the end of the last complete depth-1 event (the header, a stanza's end tag,
    // keepalive whitespace); expat reports them only once their last byte is in. A chunk that
    // ended in "<mes", half a UTF-8 sequence, a CR (maybe CRLF) or "]" (maybe "]]>") leaves
    // bytes after mark_, which expat holds back. The byte index is the position just after
    // what expat consumed: the second test says the same from expat's side.
    return mark_ == fed_ && XML_GetCurrentByteIndex(parser_) == static_cast<XML_Index>(fed_);
  }

  void ensure_parser() {
    if (parser_) return;
    create_parser();
    if (state_ == State::open) replay_header();
  }

  // Wakes a hibernated stream: the new parser reads the client's own header bytes again, which
  // leaves it where the freed one was (in the stream element, same prefixes and default
  // namespace, same line and column). The handlers ignore these bytes (replaying_).
  void replay_header() {
    const std::string& header = *saved_header_;
    replaying_ = true;
    XML_Status status =
        XML_Parse(parser_, header.data(), static_cast<int>(header.size()), XML_FALSE);
    replaying_ = false;
    if (status != XML_STATUS_OK ||
        XML_GetCurrentByteIndex(parser_) != static_cast<XML_Index>(header.size())) {
      // These bytes parsed before with the same settings: short of memory exhaustion this is
      // a broken invariant. The session ends the stream (internal-server-error) on either.
      bool out_of_memory = XML_GetErrorCode(parser_) == XML_ERROR_NO_MEMORY;
      XML_ParserFree(parser_);
      parser_ = nullptr;
      if (out_of_memory) throw std::bad_alloc();
      throw std::logic_error("stream parser: the saved stream header did not parse again");
    }
    fed_ = header.size();
    mark_ = fed_;
    positions_.replay_end = position_of(parser_);
  }

  // Keeps the bytes that may belong to the stream header; open_stream() cuts them at its end.
  void save_header_candidate(std::string_view slice) {
    if (state_ != State::expect_header || !saved_header_) return;
    saved_header_->append(slice.substr(0, kMaxSavedHeader - saved_header_->size()));
  }

  void keep_saved_header(std::size_t header_end) {
    if (!saved_header_) return;
    if (header_end > saved_header_->size()) {
      saved_header_.reset();  // longer than kMaxSavedHeader
      return;
    }
    saved_header_->resize(header_end);
    saved_header_->shrink_to_fit();
  }

  bool feed(std::string_view bytes) {
    if (state_ == State::failed) return false;
    while (!bytes.empty()) {
      std::string_view slice = bytes.substr(0, kMaxSlice);
      bytes.remove_prefix(slice.size());
      bool keep_going = feed_slice(slice);
      if (restarted_) {
        restarted_ = false;
        return state_ != State::failed;  // the rest belongs to the old stream
      }
      if (!keep_going) return false;
    }
    return true;
  }

  // Returns false when an error was reported.
  bool feed_slice(std::string_view slice) {
    ensure_parser();
    save_header_candidate(slice);
    XML_Parser parser = parser_;
    running_ = parser;
    in_feed_ = true;
    fed_ += slice.size();
    XML_Status status = XML_Parse(parser, slice.data(), static_cast<int>(slice.size()), XML_FALSE);
    in_feed_ = false;
    running_ = nullptr;
    for (XML_Parser p : retired_) XML_ParserFree(p);
    retired_.clear();
    if (restarted_) return true;  // `parser` is gone; nothing more to check

    if (!failure_ && status == XML_STATUS_ERROR) {
      TextPosition at = positions_.to_stream(position_of(parser));
      std::string detail = XML_ErrorString(XML_GetErrorCode(parser));
      detail += " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
      failure_ = Failure{ParseError::not_well_formed, std::move(detail)};
    }
    // Whatever expat buffers for an unfinished stanza counts against the cap, so a peer
    // cannot grow our memory by never closing a tag or an attribute value.
    if (!failure_ && pending_stanza_bytes() > limits_.max_stanza_bytes) {
      failure_ = Failure{ParseError::policy_violation, "stanza exceeds the size limit"};
    }
    if (!failure_) return true;
    state_ = State::failed;
    Failure failure = std::move(*failure_);
    failure_.reset();
    if (callbacks_.on_error) callbacks_.on_error(failure.error, std::move(failure.detail));
    return false;
  }

  std::size_t pending_stanza_bytes() const { return fed_ > mark_ ? fed_ - mark_ : 0; }

  // ---- expat handlers ----
  static Impl& self(void* user_data) { return *static_cast<Impl*>(user_data); }

  static void XMLCALL on_start(void* ud, const XML_Char* name, const XML_Char** atts) {
    if (self(ud).active()) self(ud).start_element(name, atts);
  }
  static void XMLCALL on_end(void* ud, const XML_Char* /*name*/) {
    if (self(ud).active()) self(ud).end_element();
  }
  static void XMLCALL on_text(void* ud, const XML_Char* s, int len) {
    if (self(ud).active()) self(ud).text({s, static_cast<std::size_t>(len)});
  }
  static void XMLCALL on_namespace_decl(void* ud, const XML_Char* prefix, const XML_Char* uri) {
    Impl& impl = self(ud);
    // Declarations on the stream element itself arrive before its start handler.
    if (impl.active() && impl.depth_ == 0 && prefix == nullptr) {
      impl.stream_default_ns_ = uri ? uri : "";
    }
  }
  // Tracked only so that hibernate() never happens inside a CDATA section.
  static void XMLCALL on_cdata_start(void* ud) {
    if (self(ud).active()) self(ud).in_cdata_ = true;
  }
  static void XMLCALL on_cdata_end(void* ud) {
    if (self(ud).active()) self(ud).in_cdata_ = false;
  }
  static void XMLCALL on_comment(void* ud, const XML_Char*) {
    self(ud).fail(ParseError::restricted_xml, "comments are not allowed (RFC 6120 §11.1)");
  }
  static void XMLCALL on_processing_instruction(void* ud, const XML_Char*, const XML_Char*) {
    self(ud).fail(ParseError::restricted_xml, "processing instructions are not allowed");
  }
  static void XMLCALL on_doctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    self(ud).fail(ParseError::restricted_xml, "DTDs are not allowed");
  }
  static void XMLCALL on_entity_decl(void* ud, const XML_Char*, int, const XML_Char*, int,
                                     const XML_Char*, const XML_Char*, const XML_Char*,
                                     const XML_Char*) {
    self(ud).fail(ParseError::restricted_xml, "entity declarations are not allowed");
  }

  bool active() const { return !replaying_ && !failure_ && !restarted_ && state_ != State::failed; }

  void fail(ParseError error, std::string detail) {
    if (!active()) return;
    failure_ = Failure{error, std::move(detail)};
    XML_StopParser(parser_, XML_FALSE);
  }

  // Byte offset just past the construct expat is reporting.
  std::size_t event_end() const {
    XML_Index index = XML_GetCurrentByteIndex(parser_);
    if (index < 0) return fed_;
    return static_cast<std::size_t>(index) +
           static_cast<std::size_t>(std::max(0, XML_GetCurrentByteCount(parser_)));
  }
  std::size_t event_start() const {
    XML_Index index = XML_GetCurrentByteIndex(parser_);
    return index < 0 ? fed_ : static_cast<std::size_t>(index);
  }

  bool check_stanza_size() {
    if (event_end() - mark_ <= limits_.max_stanza_bytes) return true;
    fail(ParseError::policy_violation, "stanza exceeds the size limit");
    return false;
  }

  void start_element(const XML_Char* name, const XML_Char** atts) {
    std::size_t attr_count = 0;
    while (atts[2 * attr_count]) ++attr_count;
    if (attr_count > limits_.max_attributes) {
      fail(ParseError::policy_violation, "too many attributes");
      return;
    }
    QName qname = split_name(name);
    if (depth_ == 0) {
      open_stream(qname, atts);
      return;
    }
    if (depth_ + 1 > limits_.max_depth) {
      fail(ParseError::policy_violation, "elements nested too deeply");
      return;
    }
    ++depth_;
    if (depth_ == 2) mark_ = event_start();
    if (!check_stanza_size()) return;
    XmlElement element{std::string(qname.local), std::string(qname.ns)};
    for (std::size_t i = 0; i < attr_count; ++i) {
      QName attr = split_name(atts[2 * i]);
      if (attr.ns.empty()) {
        element.set_attr(attr.local, atts[2 * i + 1]);
      } else if (attr.ns == kXmlNs) {
        element.set_attr("xml:" + std::string(attr.local), atts[2 * i + 1]);
      }
      // Other namespaced attributes are dropped: XMPP payloads do not use them, and keeping
      // them would need prefix bookkeeping in XmlElement.
    }
    stack_.push_back(std::move(element));
  }

  void open_stream(QName qname, const XML_Char** atts) {
    // The header is capped like a stanza (mark_ is 0 here), whatever the chunking.
    if (!check_stanza_size()) return;
    if (qname.local != "stream") {
      fail(ParseError::bad_format,
           "expected <stream:stream>, got <" + std::string(qname.local) + "> (RFC 6120 §4.2)");
      return;
    }
    StreamHeader header;
    header.content_ns = stream_default_ns_.value_or("");
    stream_default_ns_.reset();
    header.stream_ns_ok = qname.ns == kStreamNs;
    for (std::size_t i = 0; atts[i]; i += 2) {
      QName attr = split_name(atts[i]);
      std::string_view value = atts[i + 1];
      if (attr.ns == kXmlNs && attr.local == "lang") {
        header.lang = value;
      } else if (!attr.ns.empty()) {
        continue;
      } else if (attr.local == "to") {
        header.to = value;
      } else if (attr.local == "from") {
        header.from = value;
      } else if (attr.local == "id") {
        header.id = value;
      } else if (attr.local == "version") {
        header.version = value;
      }
    }
    depth_ = 1;
    state_ = State::open;
    mark_ = event_end();
    keep_saved_header(mark_);
    if (callbacks_.on_stream_open) callbacks_.on_stream_open(header);
    if (!header.stream_ns_ok) {
      // RFC 6120 §4.9.3.10; the session got the header first so it can answer with its own.
      fail(ParseError::invalid_namespace, "the stream element is not in " + std::string(kStreamNs));
    }
  }

  void end_element() {
    if (depth_ == 1) {
      depth_ = 0;
      state_ = State::closed;
      mark_ = event_end();
      if (callbacks_.on_stream_close) callbacks_.on_stream_close();
      return;
    }
    if (stack_.empty()) return;  // unreachable: expat balances tags
    XmlElement element = std::move(stack_.back());
    stack_.pop_back();
    --depth_;
    if (!stack_.empty()) {
      stack_.back().add_child(std::move(element));
      return;
    }
    mark_ = std::max(mark_, event_end());
    if (callbacks_.on_stanza) callbacks_.on_stanza(std::move(element));
  }

  void text(std::string_view s) {
    if (depth_ >= 2) {
      if (check_stanza_size()) stack_.back().add_text(s);
      return;
    }
    if (depth_ == 1) {
      // RFC 6120 §11.7: only whitespace (keepalives) may appear between stanzas.
      if (!is_xml_whitespace(s)) {
        fail(ParseError::not_well_formed, "character data between stanzas");
        return;
      }
      mark_ = event_end();
    }
  }

  ParserLimits limits_;
  Callbacks callbacks_;
  XML_Parser parser_ = nullptr;
  XML_Parser running_ = nullptr;     // the parser inside XML_Parse, if any
  std::vector<XML_Parser> retired_;  // stopped by reset() during XML_Parse; freed after it
  State state_ = State::expect_header;
  std::size_t depth_ = 0;          // 1 = inside the stream element
  std::vector<XmlElement> stack_;  // open elements of the current stanza (depth >= 2)
  std::optional<std::string> stream_default_ns_;
  std::size_t fed_ = 0;   // bytes given to the current parser
  std::size_t mark_ = 0;  // where the current stanza began, or the end of the last construct
  bool in_feed_ = false;
  bool restarted_ = false;
  bool replaying_ = false;  // the woken parser is re-reading the saved header
  bool in_cdata_ = false;
  std::optional<Failure> failure_;  // found by a handler; reported once XML_Parse returns
  // The bytes from the start of the stream to the end of its opening tag, as the client sent
  // them (XML declaration included); replayed to wake from hibernation. Empty (nullopt) when
  // the header was too long to keep.
  std::optional<std::string> saved_header_ = std::string();
  PositionMap positions_;  // identity until the first hibernation
};

StreamParser::StreamParser(ParserLimits limits, Callbacks callbacks)
    : impl_(std::make_unique<Impl>(limits, std::move(callbacks))) {}

StreamParser::~StreamParser() = default;

bool StreamParser::feed(std::string_view bytes) {
  return impl_->feed(bytes);
}

void StreamParser::reset() {
  impl_->reset();
}

std::size_t StreamParser::pending_stanza_bytes() const {
  return impl_->pending_stanza_bytes();
}

bool StreamParser::hibernate() {
  return impl_->hibernate();
}

std::string serialize_stream_header(const StreamHeader& header) {
  std::string out = "<?xml version='1.0'?><stream:stream";
  auto attribute = [&out](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    out.push_back(' ');
    out.append(name);
    out.append("='");
    append_escaped(out, value, true);
    out.push_back('\'');
  };
  attribute("xmlns", header.content_ns);
  attribute("xmlns:stream", kStreamNs);
  attribute("id", header.id);
  attribute("from", header.from);
  attribute("to", header.to);
  attribute("version", header.version);
  attribute("xml:lang", header.lang);
  out.push_back('>');
  return out;
}

}  // namespace parley::xmpp::wire
