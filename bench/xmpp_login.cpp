#include "bench/xmpp_login.hpp"

#include <algorithm>
#include <stdexcept>

#include "adapters/xmpp/wire/stream_parser.hpp"
#include "bench/scram_sha1.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using xmpp::wire::XmlElement;

constexpr std::string_view kClientNs = "jabber:client";
constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
constexpr std::string_view kBindNs = "urn:ietf:params:xml:ns:xmpp-bind";
constexpr std::string_view kSessionNs = "urn:ietf:params:xml:ns:xmpp-session";
constexpr std::string_view kRegisterFeatureNs = "http://jabber.org/features/iq-register";
constexpr std::string_view kRegisterNs = "jabber:iq:register";
constexpr std::string_view kStanzasNs = "urn:ietf:params:xml:ns:xmpp-stanzas";
constexpr std::string_view kMucNs = "http://jabber.org/protocol/muc";
constexpr std::string_view kMucUserNs = "http://jabber.org/protocol/muc#user";

[[noreturn]] void fail(const std::string& who, const std::string& what) {
  throw std::runtime_error(who + ": " + what);
}

asio::awaitable<StreamFeatures> open_stream(XmppConnection& connection, const std::string& domain) {
  xmpp::wire::StreamHeader header;
  header.to = domain;
  header.version = "1.0";
  co_await connection.write(xmpp::wire::serialize_stream_header(header));
  for (;;) {
    XmlElement stanza = co_await connection.next_stanza();
    if (stanza.name() == "features" && stanza.xmlns() == kStreamNs) {
      co_return parse_features(stanza);
    }
  }
}

// The name of the first error condition child of an <error/> (RFC 6120 §8.3.3).
std::string error_condition(const XmlElement& stanza) {
  const XmlElement* error = stanza.child("error");
  if (!error) return "no error element";
  for (const XmlElement* child : error->element_children()) {
    if (child->xmlns() == kStanzasNs && child->name() != "text") return child->name();
  }
  return "unknown";
}

// Sends an iq and returns its response (result or error), skipping anything else.
asio::awaitable<XmlElement> iq_round_trip(XmppConnection& connection, XmlElement iq) {
  const std::string id = iq.attr_or("id");
  co_await connection.send(iq);
  for (;;) {
    XmlElement stanza = co_await connection.next_stanza();
    if (stanza.name() == "iq" && stanza.attr_or("id") == id) co_return stanza;
  }
}

asio::awaitable<void> authenticate_scram(XmppConnection& connection,
                                         const LoginSettings& settings) {
  const std::string& who = connection.name();
  ScramSha1Client scram(settings.user, settings.password, settings.scram_cache);
  XmlElement auth("auth", std::string(kSaslNs));
  auth.set_attr("mechanism", "SCRAM-SHA-1");
  auth.add_text(base64_encode(scram.client_first()));
  co_await connection.send(auth);
  for (;;) {
    XmlElement stanza = co_await connection.next_stanza();
    if (stanza.xmlns() != kSaslNs) continue;
    if (stanza.name() == "challenge") {
      const auto decoded = base64_decode(stanza.text());
      if (!decoded) fail(who, "bad SASL challenge");
      XmlElement response("response", std::string(kSaslNs));
      if (decoded->rfind("v=", 0) == 0) {
        // RFC 6120 §6.4.5 allows the additional data in a final challenge: answer empty.
        if (!scram.verify_server_final(*decoded)) fail(who, "server signature mismatch");
      } else {
        const auto final_message = scram.client_final(*decoded);
        if (!final_message) fail(who, "bad SCRAM server-first-message");
        response.add_text(base64_encode(*final_message));
      }
      co_await connection.send(response);
    } else if (stanza.name() == "success") {
      const std::string data = stanza.text();
      if (!data.empty() && data != "=") {
        const auto decoded = base64_decode(data);
        if (!decoded || !scram.verify_server_final(*decoded)) {
          fail(who, "server signature mismatch");
        }
      }
      co_return;
    } else if (stanza.name() == "failure") {
      fail(who, "SASL failure: " + stanza.serialize());
    }
  }
}

asio::awaitable<void> authenticate_plain(XmppConnection& connection,
                                         const LoginSettings& settings) {
  // RFC 4616 §2: [authzid] NUL authcid NUL passwd, no authzid.
  std::string message;
  message.push_back('\0');
  message.append(settings.user);
  message.push_back('\0');
  message.append(settings.password);
  XmlElement auth("auth", std::string(kSaslNs));
  auth.set_attr("mechanism", "PLAIN");
  auth.add_text(base64_encode(message));
  co_await connection.send(auth);
  for (;;) {
    XmlElement stanza = co_await connection.next_stanza();
    if (stanza.xmlns() != kSaslNs) continue;
    if (stanza.name() == "success") co_return;
    if (stanza.name() == "failure") {
      fail(connection.name(), "SASL failure: " + stanza.serialize());
    }
  }
}

asio::awaitable<std::string> bind_resource(XmppConnection& connection,
                                           const LoginSettings& settings) {
  XmlElement iq("iq", std::string(kClientNs));
  iq.set_attr("type", "set");
  iq.set_attr("id", "bind1");
  iq.add_child("bind", std::string(kBindNs)).add_child("resource").add_text(settings.resource);
  const XmlElement response = co_await iq_round_trip(connection, std::move(iq));
  if (response.attr_or("type") != "result") {
    fail(connection.name(), "bind failed: " + error_condition(response));
  }
  const XmlElement* bind = response.child("bind", kBindNs);
  co_return bind ? bind->child_text("jid") : std::string();
}

}  // namespace

StreamFeatures parse_features(const XmlElement& features) {
  StreamFeatures out;
  if (const XmlElement* mechanisms = features.child("mechanisms", kSaslNs)) {
    for (const XmlElement* mechanism : mechanisms->children("mechanism", kSaslNs)) {
      out.mechanisms.push_back(mechanism->text());
    }
  }
  out.bind = features.child("bind", kBindNs) != nullptr;
  if (const XmlElement* session = features.child("session", kSessionNs)) {
    out.session = true;
    out.session_optional = session->child("optional", kSessionNs) != nullptr;
  }
  out.registration = features.child("register", kRegisterFeatureNs) != nullptr;
  return out;
}

asio::awaitable<std::string> login(XmppConnection& connection, const LoginSettings& settings) {
  connection.arm_deadline(settings.timeout);
  co_await connection.connect(settings.host, settings.port, settings.source_address);
  const StreamFeatures before = co_await open_stream(connection, settings.domain);
  const std::string wanted = settings.auth == AuthMechanism::plain ? "PLAIN" : "SCRAM-SHA-1";
  if (std::find(before.mechanisms.begin(), before.mechanisms.end(), wanted) ==
      before.mechanisms.end()) {
    std::string offered;
    for (const auto& m : before.mechanisms) offered += (offered.empty() ? "" : " ") + m;
    fail(connection.name(), "server does not offer SASL " + wanted +
                                " (offers: " + (offered.empty() ? "none" : offered) + ")");
  }
  if (settings.auth == AuthMechanism::plain) {
    co_await authenticate_plain(connection, settings);
  } else {
    co_await authenticate_scram(connection, settings);
  }
  // RFC 6120 §6.4.6: both sides restart the stream; the server sends nothing more on the old
  // one, so resetting the parser loses no bytes.
  connection.restart_stream();
  const StreamFeatures after = co_await open_stream(connection, settings.domain);
  if (!after.bind) fail(connection.name(), "server does not offer resource binding");
  std::string jid = co_await bind_resource(connection, settings);
  // RFC 3921 §3: servers that still advertise the session iq expect it (harmless when
  // marked optional; the login scenario measures it too).
  if (after.session) {
    XmlElement iq("iq", std::string(kClientNs));
    iq.set_attr("type", "set");
    iq.set_attr("id", "sess1");
    iq.add_child("session", std::string(kSessionNs));
    const XmlElement response = co_await iq_round_trip(connection, std::move(iq));
    if (response.attr_or("type") != "result") {
      fail(connection.name(), "session establishment failed: " + error_condition(response));
    }
  }
  if (settings.initial_presence) co_await connection.send(XmlElement("presence", "jabber:client"));
  if (settings.sync_ping) {
    XmlElement ping("iq", std::string(kClientNs));
    ping.set_attr("type", "get");
    ping.set_attr("id", "sync1");
    ping.set_attr("to", settings.domain);
    ping.add_child("ping", "urn:xmpp:ping");
    co_await iq_round_trip(connection, std::move(ping));  // any answer will do, even an error
  }
  connection.disarm_deadline();
  co_return jid;
}

asio::awaitable<RegisterOutcome> register_account(XmppConnection& connection,
                                                  const LoginSettings& settings) {
  connection.arm_deadline(settings.timeout);
  co_await connection.connect(settings.host, settings.port, settings.source_address);
  co_await open_stream(connection, settings.domain);
  XmlElement iq("iq", std::string(kClientNs));
  iq.set_attr("type", "set");
  iq.set_attr("id", "reg1");
  XmlElement& query = iq.add_child("query", std::string(kRegisterNs));
  query.add_child("username").add_text(settings.user);
  query.add_child("password").add_text(settings.password);
  const XmlElement response = co_await iq_round_trip(connection, std::move(iq));
  connection.disarm_deadline();
  if (response.attr_or("type") == "result") co_return RegisterOutcome::created;
  const std::string condition = error_condition(response);
  // XEP-0077 §3.1: conflict = the username is taken (here: created by an earlier run).
  if (condition == "conflict") co_return RegisterOutcome::already_exists;
  fail(connection.name(),
       "in-band registration refused: " + condition + " (is registration enabled on the server?)");
}

asio::awaitable<void> join_room(XmppConnection& connection, const std::string& room_jid,
                                const std::string& nick) {
  const std::string occupant = room_jid + "/" + nick;
  XmlElement join("presence", std::string(kClientNs));
  join.set_attr("to", occupant);
  join.add_child("x", std::string(kMucNs)).add_child("history").set_attr("maxstanzas", "0");
  co_await connection.send(join);
  for (;;) {
    XmlElement stanza = co_await connection.next_stanza();
    if (stanza.name() != "presence" || stanza.attr_or("from") != occupant) continue;
    if (stanza.attr_or("type") == "error") {
      fail(connection.name(), "join failed: " + error_condition(stanza));
    }
    // XEP-0045 §7.2.3: the self-presence carries <status code='110'/>.
    const XmlElement* x = stanza.child("x", kMucUserNs);
    if (!x) continue;
    for (const XmlElement* status : x->children("status", kMucUserNs)) {
      if (status->attr_or("code") == "110") co_return;
    }
  }
}

asio::awaitable<void> close_stream(XmppConnection& connection, std::chrono::milliseconds timeout) {
  connection.arm_deadline(timeout);
  try {
    co_await connection.write(std::string(xmpp::wire::kStreamClose));
    while (!connection.peer_closed_stream()) co_await connection.next_stanza();
  } catch (const std::exception&) {
    // The server closing the stream (or the socket) is the expected end here.
  }
  connection.close();
}

}  // namespace parley::bench
