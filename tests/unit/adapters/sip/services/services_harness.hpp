#pragma once
// A fake SIP stack, fake transactions, a recording core and an in-memory credential table for
// the SIP services' unit tests. Everything runs on a test-owned io_context polled until idle,
// so tests read like transcripts: request in, responses and outgoing requests out.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/sip/services/sip_services.hpp"
#include "adapters/sip/wire/digest.hpp"
#include "gateway/auth/digest_credential.hpp"

namespace parley::sip::testing {

inline model::Address addr(std::string_view text) {
  auto parsed = model::Address::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : model::Address{};
}

class FakeTransaction final : public ServerTransaction {
 public:
  FakeTransaction(SipMessage request, Flow flow) : request_(std::move(request)), flow_(flow) {}
  const SipMessage& request() const override { return request_; }
  const Flow& flow() const override { return flow_; }
  void respond(SipMessage response) override { responses.push_back(std::move(response)); }
  std::vector<SipMessage> responses;

 private:
  SipMessage request_;
  Flow flow_;
};

struct SentRequest {
  SipMessage request;
  Flow flow;
  std::function<void(ClientOutcome)> done;
};

class FakeStack final : public SipStack {
 public:
  void send_request(SipMessage request, const Flow& flow,
                    std::function<void(ClientOutcome)> done) override {
    sent.push_back({std::move(request), flow, std::move(done)});
  }
  SipUri local_uri(const Flow&) const override {
    SipUri uri;
    uri.host = "127.0.0.1";
    uri.port = 5060;
    return uri;
  }
  std::string new_token() override { return "tok" + std::to_string(++tokens_); }
  std::vector<SentRequest> sent;

 private:
  int tokens_ = 0;
};

class FakeCredentials final : public CredentialLookup {
 public:
  void lookup(const model::Address& bare,
              std::function<void(std::optional<api::DigestCredential>)> done) override {
    ++lookups;
    auto it = table.find(bare);
    done(it == table.end() ? std::nullopt : std::optional(it->second));
  }
  std::map<model::Address, api::DigestCredential> table;
  int lookups = 0;
};

class RecordingCore final : public api::Core {
 public:
  std::optional<model::StanzaError> bind(const api::SessionInfo& info,
                                         std::shared_ptr<api::Endpoint> endpoint) override {
    endpoints[info.full] = endpoint;
    ++binds;
    return std::nullopt;
  }
  void unbind(const model::Address& full, const api::Endpoint*) override {
    endpoints.erase(full);
    ++unbinds;
  }
  void set_flags(const model::Address&, api::EndpointFlags) override {}
  bool is_bound(const model::Address& full) const override { return endpoints.contains(full); }
  void send_message(model::Message message) override { messages.push_back(std::move(message)); }
  void send_presence(model::Presence presence) override {
    presences.push_back(std::move(presence));
  }
  void roster_get(const model::Address&, std::function<void(api::RosterSnapshot)> done) override {
    done(roster);
  }
  void roster_set(const model::Address&, model::RosterItem, api::ErrorCallback) override {}
  void roster_remove(const model::Address&, const model::Address&, api::ErrorCallback) override {}
  void block_list(const model::Address&,
                  std::function<void(std::vector<model::Address>)> done) override {
    done({});
  }
  void block(const model::Address&, std::vector<model::Address>, api::ErrorCallback) override {}
  void unblock(const model::Address&, std::vector<model::Address>, api::ErrorCallback) override {}
  void send_opaque(api::OpaqueDelivery, api::ErrorCallback) override {}
  bool account_exists(const model::Address& bare) const override {
    return accounts.contains(bare.bare());
  }
  bool watch_presence(const model::Address& watcher, const model::Address& target) override {
    watches.emplace_back(watcher, target);
    return true;
  }
  void unwatch_presence(const model::Address& watcher, const model::Address& target) override {
    unwatches.emplace_back(watcher, target);
  }

  std::map<model::Address, std::shared_ptr<api::Endpoint>> endpoints;
  std::set<model::Address> accounts;
  std::vector<model::Message> messages;
  std::vector<model::Presence> presences;
  std::vector<std::pair<model::Address, model::Address>> watches;
  std::vector<std::pair<model::Address, model::Address>> unwatches;
  api::RosterSnapshot roster;
  int binds = 0;
  int unbinds = 0;
};

// Defined before the harness: default arguments of its members call them, and a member's
// default argument cannot use another member defined later in the class.
inline SipServicesConfig default_services_config() {
  SipServicesConfig config;
  config.domains.local_domains = {"example.com"};
  config.domains.aliases = {"127.0.0.1"};
  return config;
}

inline Flow loopback_udp_flow(std::uint16_t port = 40000) {
  Flow flow;
  flow.remote_address = boost::asio::ip::make_address("127.0.0.1");
  flow.remote_port = port;
  return flow;
}

class ServicesHarness : public ::testing::Test {
 public:
  static SipServicesConfig default_config() { return default_services_config(); }

 protected:
  explicit ServicesHarness(SipServicesConfig config = default_services_config()) {
    add_account("alice@example.com", "alice-secret");
    add_account("bob@example.com", "bob-secret");
    services_ = std::make_unique<SipServices>(io_.get_executor(), std::move(config), core_,
                                              credentials_, [this] { return now_; });
    services_->attach(stack_);
  }

  void add_account(std::string_view bare, std::string_view password) {
    const auto address = addr(bare);
    core_.accounts.insert(address);
    credentials_.table[address] =
        auth::make_digest_credential(address.local(), address.domain(), password);
  }

  void run() {
    io_.restart();
    io_.poll();
  }

  // Parses a request written as text (CRLF added, Content-Length computed).
  static SipMessage request(const std::vector<std::string>& lines, std::string body = {});

  std::shared_ptr<FakeTransaction> send(SipMessage message, Flow flow = loopback_udp_flow()) {
    auto transaction = std::make_shared<FakeTransaction>(std::move(message), flow);
    services_->on_request(transaction);
    run();
    return transaction;
  }

  static Flow udp_flow(std::uint16_t port = 40000) { return loopback_udp_flow(port); }

  // Answers the challenge in `challenged` for `request` as `user` with `password`.
  static SipMessage with_credentials(SipMessage request, const SipMessage& challenged,
                                     std::string_view user, std::string_view password,
                                     DigestAlgorithm algorithm = DigestAlgorithm::md5,
                                     std::string nc = "00000001");

  // REGISTERs alice's device (challenge + answer); returns the final response.
  SipMessage register_device(std::string_view user, std::string_view password,
                             std::string_view contact, int expires = 3600,
                             std::uint16_t port = 40000);

  // A request that needs proxy authentication, answered for `user`.
  SipMessage authenticated(const SipMessage& message, std::string_view user,
                           std::string_view password, Flow flow = loopback_udp_flow());

  std::shared_ptr<api::Endpoint> endpoint_of(std::string_view full) {
    auto it = core_.endpoints.find(addr(full));
    return it == core_.endpoints.end() ? nullptr : it->second;
  }

  std::vector<SentRequest> sent_of(std::string_view method) const {
    std::vector<SentRequest> out;
    for (const auto& s : stack_.sent)
      if (s.request.method == method) out.push_back(s);
    return out;
  }

  boost::asio::io_context io_;
  RecordingCore core_;
  FakeCredentials credentials_;
  FakeStack stack_;
  std::chrono::steady_clock::time_point now_ =
      std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);
  std::unique_ptr<SipServices> services_;
  int call_ = 0;
};

}  // namespace parley::sip::testing
