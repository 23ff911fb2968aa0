#pragma once
// Shared steps and matchers of the scenario tests, so each test reads like a transcript:
// log in, become available, send, wait for what must come. Helpers throw std::runtime_error on
// failure (gtest reports the exception as the test's failure).
#include <memory>
#include <string>

#include "tests/integration/support/parleyd_process.hpp"
#include "tests/integration/support/strophe_client.hpp"
#include "tests/integration/support/xml_node.hpp"

namespace parley::it {

std::string bare_of(const std::string& jid);

// ---- stanzas ----
XmlNode chat(const std::string& to, const std::string& body);
XmlNode presence(const std::string& to = {}, const std::string& type = {});
XmlNode roster_get(const std::string& ver = {}, bool with_ver = false);
XmlNode roster_set(const std::string& jid, const std::string& name = {});

// ---- matchers ----
Match message_with_body(const std::string& body);
// Presence whose 'from' has that bare JID (and the type, "" = available).
Match presence_from(const std::string& bare_jid, const std::string& type = {});
Match roster_push_for(const std::string& bare_jid);
Match iq_with_id(const std::string& id);
// The item for `contact` in a roster result or push (nullptr if absent).
const XmlNode* roster_item(const XmlNode& iq, const std::string& contact);
// The defined condition of a stanza error (RFC 6120 §8.3.3), or "".
std::string stanza_error_condition(const XmlNode& stanza);

// ---- sessions ----
struct LoginOptions {
  std::string resource = "it";
  bool direct_tls = false;
  bool stream_management = true;
};
// Connects a libstrophe client and waits until it is bound.
std::unique_ptr<StropheClient> login(const ParleydProcess& daemon, const Account& account,
                                     const LoginOptions& options = {});
// login(), then the roster request and initial presence of RFC 6121 §2.2 / §4.2, waiting for
// the server's reflection of that presence (§4.2.2) so the session is known to be available.
std::unique_ptr<StropheClient> online(const ParleydProcess& daemon, const Account& account,
                                      const LoginOptions& options = {});

// Two innocent, available sessions. The bad-input tests break a third session and then check
// that the daemon still serves these: a misbehaving client costs only its own stream.
class Bystanders {
 public:
  explicit Bystanders(ParleydProcess& daemon);
  // Throws unless both sessions are still connected and a new message from one reaches the
  // other.
  void check_still_served(const std::string& tag);
  const Account& receiver() const { return receiver_; }
  StropheClient& receiver_client() { return *receiver_client_; }
  StropheClient& sender_client() { return *sender_client_; }

 private:
  Account receiver_;
  Account sender_;
  std::unique_ptr<StropheClient> receiver_client_;
  std::unique_ptr<StropheClient> sender_client_;
};

// Waits for a stanza or throws with what was queued instead.
XmlNode expect(StropheClient& client, const Match& match, const std::string& what);

}  // namespace parley::it
