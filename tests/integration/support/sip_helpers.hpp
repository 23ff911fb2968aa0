#pragma once
// Shared steps of the SIP scenario tests: the daemon's SIP configuration, SIP clients for test
// accounts, the sipsak command line and matchers, so each test reads like a transcript.
// Helpers throw std::runtime_error on failure (gtest reports it as the test's failure).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/support/parleyd_process.hpp"
#include "tests/integration/support/sip_client.hpp"

namespace parley::it {

// A merge patch enabling the SIP listeners (UDP, TCP, TLS) on 127.0.0.1, port 0, with the
// settings the scenarios rely on; `extra` is merged into the "sip" section.
nlohmann::json sip_daemon_config(const nlohmann::json& extra = nlohmann::json::object());

// sip:local@domain of a test account (its address-of-record).
std::string sip_aor(const Account& account);
// sip:local@127.0.0.1:port — the form sipsak and baresip use (the host is an alias of the
// domain, RFC 3261 §10.2 lets the registrar decide what it is responsible for).
std::string sip_uri_at_server(const ParleydProcess& daemon, const Account& account,
                              SipTransport transport = SipTransport::udp);

SipClientOptions sip_options(const ParleydProcess& daemon, const Account& account,
                             SipTransport transport = SipTransport::udp);
// A client for `account` that has REGISTERed its contact (digest auth); throws unless 200.
std::unique_ptr<SipClient> sip_registered(const ParleydProcess& daemon, const Account& account,
                                          SipTransport transport = SipTransport::udp,
                                          const std::string& instance = {});

// ---- matchers ----
using SipMatch = std::function<bool(const SipMsg&)>;
SipMatch sip_request(const std::string& method);
SipMatch sip_message_with_body(const std::string& body);
// A NOTIFY whose body contains `fragment` (e.g. "<basic>open</basic>").
SipMatch sip_notify_containing(const std::string& fragment);

// Waits for an incoming request or throws with the client's queues.
SipMsg expect_request(SipClient& client, const SipMatch& match, const std::string& what);
// Sends and requires a final response (throws on timeout); returns it.
SipMsg expect_response(SipClient& client, SipMsg request, const std::string& what);

// Runs sipsak (with -vv for diagnostics) to completion within `bound`.
CommandResult sipsak(const std::vector<std::string>& args,
                     std::chrono::seconds bound = std::chrono::seconds(30));

}  // namespace parley::it
