#include "tests/integration/support/sip_helpers.hpp"

#include <stdexcept>

namespace parley::it {

nlohmann::json sip_daemon_config(const nlohmann::json& extra) {
  nlohmann::json listener = {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}};
  nlohmann::json sip = {{"udp", listener}, {"tcp", listener}, {"tls", listener}};
  sip.merge_patch(extra);
  return nlohmann::json{{"sip", sip}};
}

std::string sip_aor(const Account& account) {
  return "sip:" + account.jid;
}

std::string sip_uri_at_server(const ParleydProcess& daemon, const Account& account,
                              SipTransport transport) {
  const bool tcp = transport == SipTransport::tcp;
  std::string uri = "sip:" + account.local() + "@127.0.0.1:" +
                    std::to_string(tcp ? daemon.sip_tcp_port() : daemon.sip_udp_port());
  if (tcp) uri += ";transport=tcp";
  return uri;
}

SipClientOptions sip_options(const ParleydProcess& daemon, const Account& account,
                             SipTransport transport) {
  SipClientOptions options;
  options.transport = transport;
  options.server_port =
      transport == SipTransport::tcp ? daemon.sip_tcp_port() : daemon.sip_udp_port();
  if (options.server_port == 0) {
    throw std::runtime_error("parleyd reported no SIP port (sip_udp_port/sip_tcp_port)");
  }
  options.user = account.local();
  options.domain = daemon.domain();
  options.password = account.password;
  return options;
}

std::unique_ptr<SipClient> sip_registered(const ParleydProcess& daemon, const Account& account,
                                          SipTransport transport, const std::string& instance) {
  auto client = std::make_unique<SipClient>(sip_options(daemon, account, transport));
  auto response = client->register_contact(300, instance);
  if (!response) throw std::runtime_error("REGISTER of " + account.jid + ": no final response");
  if (response->status != 200) {
    throw std::runtime_error("REGISTER of " + account.jid + ": " + response->summary());
  }
  return client;
}

SipMatch sip_request(const std::string& method) {
  return [method](const SipMsg& m) { return m.is_request && m.method == method; };
}

SipMatch sip_message_with_body(const std::string& body) {
  return
      [body](const SipMsg& m) { return m.is_request && m.method == "MESSAGE" && m.body == body; };
}

SipMatch sip_notify_containing(const std::string& fragment) {
  return [fragment](const SipMsg& m) {
    return m.is_request && m.method == "NOTIFY" && m.body.find(fragment) != std::string::npos;
  };
}

SipMsg expect_request(SipClient& client, const SipMatch& match, const std::string& what) {
  auto found = client.wait_request(match);
  if (!found) {
    throw std::runtime_error("timed out waiting for " + what + "\n" + client.dump_queues());
  }
  return std::move(*found);
}

SipMsg expect_response(SipClient& client, SipMsg request, const std::string& what) {
  const std::string summary = request.summary();
  auto response = client.send(std::move(request));
  if (!response) {
    throw std::runtime_error("no final response to " + what + " (" + summary + ")\n" +
                             client.dump_queues());
  }
  return std::move(*response);
}

CommandResult sipsak(const std::vector<std::string>& args, std::chrono::seconds bound) {
  std::vector<std::string> argv{"/usr/bin/sipsak", "-vv"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ParleydProcess::run(argv, bound);
}

}  // namespace parley::it
