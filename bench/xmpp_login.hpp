#pragma once
// The client side of the XMPP handshakes the driver needs, written for parleyd, Prosody 0.12
// and ejabberd 23.01 with TLS off: stream open, SASL SCRAM-SHA-1 (RFC 5802) or PLAIN
// (RFC 4616), stream restart, resource binding (RFC 6120 §7), the RFC 3921 session iq when
// the server advertises it, initial presence (RFC 6121 §4.2); XEP-0077 registration; XEP-0045
// room join; graceful stream close. Each throws std::runtime_error naming the account.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "bench/options.hpp"
#include "bench/scram_sha1.hpp"
#include "bench/xmpp_connection.hpp"

namespace parley::bench {

struct LoginSettings {
  std::string host;
  std::uint16_t port = 0;
  std::string domain;
  std::string user;  // localpart
  std::string password;
  std::string resource = "bench";
  AuthMechanism auth = AuthMechanism::scram_sha1;
  bool initial_presence = true;
  // After the presence, a XEP-0199 ping round trip: the server processes a stream in order,
  // so once it answers, our presence is in effect and messages to us are delivered live.
  bool sync_ping = true;
  std::chrono::milliseconds timeout{30000};          // the whole handshake
  std::string source_address;                        // local address to bind first; empty: any
  std::shared_ptr<SaltedPasswordCache> scram_cache;  // of this connection's driver thread
};

// What a <stream:features/> element offers (RFC 6120 §4.3.2).
struct StreamFeatures {
  std::vector<std::string> mechanisms;  // SASL, RFC 6120 §6.4.1
  bool bind = false;
  bool session = false;           // RFC 3921 §3 session establishment
  bool session_optional = false;  // draft-cridland-xmpp-session-01: <optional/> inside
  bool registration = false;      // XEP-0077 §7 stream feature
};
StreamFeatures parse_features(const xmpp::wire::XmlElement& features);

// Connects, authenticates, binds and (optionally) sends initial presence. Returns the bound
// full JID.
boost::asio::awaitable<std::string> login(XmppConnection& connection,
                                          const LoginSettings& settings);

enum class RegisterOutcome { created, already_exists };
// XEP-0077 §3.1 on a fresh connection; "conflict" means the account exists.
boost::asio::awaitable<RegisterOutcome> register_account(XmppConnection& connection,
                                                         const LoginSettings& settings);

// XEP-0045 §7.2: join room_jid as nick without history; waits for the self-presence (110).
boost::asio::awaitable<void> join_room(XmppConnection& connection, const std::string& room_jid,
                                       const std::string& nick);

// RFC 6120 §4.4: send </stream:stream> and wait (bounded) for the server's, then close.
boost::asio::awaitable<void> close_stream(XmppConnection& connection,
                                          std::chrono::milliseconds timeout);

}  // namespace parley::bench
