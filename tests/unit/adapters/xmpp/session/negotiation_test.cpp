// Stream negotiation over loopback TCP: headers, features, STARTTLS, direct TLS, SASL, bind.
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/unit/adapters/xmpp/session/loopback.hpp"
#include "tests/unit/adapters/xmpp/session/scram_client.hpp"

namespace parley::xmpp::test {
namespace {

using Negotiation = Loopback;

std::string stream_error_condition(const wire::XmlElement& error) {
  auto children = error.element_children();
  return children.empty() ? std::string() : children.front()->name();
}

TEST_F(Negotiation, PlainStreamOffersOnlyRequiredStarttls) {
  start();
  auto client = connect();
  client->open_stream();
  auto header = client->header();
  ASSERT_TRUE(header);
  EXPECT_EQ(header->from, "localhost");
  EXPECT_EQ(header->version, "1.0");
  EXPECT_FALSE(header->id.empty());
  auto features = client->next();
  ASSERT_TRUE(features);
  EXPECT_EQ(features->name(), "features");
  ASSERT_EQ(features->element_children().size(), 1u);
  const auto* starttls = features->child("starttls", "urn:ietf:params:xml:ns:xmpp-tls");
  ASSERT_NE(starttls, nullptr);
  EXPECT_NE(starttls->child("required"), nullptr);
}

TEST_F(Negotiation, StreamIdsAreFresh) {
  start();
  auto a = connect();
  auto b = connect();
  a->open_stream();
  b->open_stream();
  auto ha = a->header();
  auto hb = b->header();
  ASSERT_TRUE(ha && hb);
  EXPECT_NE(ha->id, hb->id);
}

TEST_F(Negotiation, UnknownHostIsRefused) {
  start();
  auto client = connect();
  client->open_stream("elsewhere.net");
  ASSERT_TRUE(client->header());  // RFC 6120 §4.9.1.2: our header comes first
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->name(), "error");
  EXPECT_EQ(stream_error_condition(*error), "host-unknown");
  EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(client->stream_closed_by_server());
}

TEST_F(Negotiation, SecondServedDomainIsAccepted) {
  start();
  auto client = connect();
  client->open_stream("example.org");
  auto header = client->header();
  ASSERT_TRUE(header);
  EXPECT_EQ(header->from, "example.org");
}

TEST_F(Negotiation, OldVersionIsRefused) {
  start();
  auto client = connect();
  client->open_stream("localhost", "");
  ASSERT_TRUE(client->header());
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "unsupported-version");
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(Negotiation, WrongContentNamespaceIsRefused) {
  start();
  auto client = connect();
  client->open_stream("localhost", "1.0", "jabber:server");
  ASSERT_TRUE(client->header());
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "invalid-namespace");
}

TEST_F(Negotiation, AuthBeforeRequiredTlsIsRefused) {
  start();
  auto client = connect();
  ASSERT_TRUE(open(*client));
  client->send(plain_auth("alice", "secret"));
  auto failure = client->next();
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->name(), "failure");
  EXPECT_NE(failure->child("encryption-required"), nullptr);
}

TEST_F(Negotiation, StanzaBeforeAuthIsNotAuthorized) {
  start();
  auto client = connect();
  ASSERT_TRUE(open(*client));
  client->send("<message to='bob@localhost'><body>hi</body></message>");
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "not-authorized");
  EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(core_.locked([&] { return core_.messages.empty(); }));
}

TEST_F(Negotiation, StarttlsThenMechanismsWithPlain) {
  start();
  auto client = connect();
  negotiate_tls(*client);
  auto features = open(*client);
  ASSERT_TRUE(features);
  const auto* mechanisms = features->child("mechanisms");
  ASSERT_NE(mechanisms, nullptr);
  std::vector<std::string> names;
  for (const auto* m : mechanisms->children("mechanism")) names.push_back(m->text());
  EXPECT_EQ(names, (std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}));
  EXPECT_EQ(features->child("starttls"), nullptr);
}

TEST_F(Negotiation, BytesAfterStarttlsAreDiscarded) {
  start();
  auto client = connect();
  ASSERT_TRUE(open(*client));
  // RFC 6120 §5.4.3.3: what follows <starttls/> in the clear must not be processed.
  client->send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message to='bob@localhost'/>");
  auto proceed = client->next();
  ASSERT_TRUE(proceed);
  EXPECT_EQ(proceed->name(), "proceed");
  client->starttls();
  auto features = open(*client);
  ASSERT_TRUE(features);
  EXPECT_NE(features->child("mechanisms"), nullptr);
}

TEST_F(Negotiation, DirectTlsListener) {
  start();
  auto client = connect(/*direct_tls=*/true);
  auto features = open(*client);
  ASSERT_TRUE(features);
  EXPECT_EQ(features->child("starttls"), nullptr);
  EXPECT_NE(features->child("mechanisms"), nullptr);
}

TEST_F(Negotiation, PlainLoginAndBind) {
  start();
  auto client = connect();
  auto features = authenticate(*client, "alice", "secret");
  ASSERT_TRUE(features);
  EXPECT_NE(features->child("bind", "urn:ietf:params:xml:ns:xmpp-bind"), nullptr);
  EXPECT_NE(features->child("sm", "urn:xmpp:sm:3"), nullptr);
  EXPECT_NE(features->child("ver", "urn:xmpp:features:rosterver"), nullptr);
  EXPECT_NE(features->child("sub", "urn:xmpp:features:pre-approval"), nullptr);
  EXPECT_EQ(bind(*client, "laptop"), "alice@localhost/laptop");
  ASSERT_TRUE(core_.wait([&] { return !core_.binds.empty(); }));
  EXPECT_EQ(core_.locked([&] { return core_.binds.front().full; }), addr("alice@localhost/laptop"));
}

TEST_F(Negotiation, GeneratedResource) {
  start();
  auto client = connect();
  ASSERT_TRUE(authenticate(*client, "alice", "secret"));
  const std::string jid = bind(*client, "");
  ASSERT_FALSE(jid.empty());
  auto parsed = model::Address::parse(jid);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->bare_string(), "alice@localhost");
  EXPECT_FALSE(parsed->resource().empty());
}

TEST_F(Negotiation, BindRefusedByTheCore) {
  core_.bind_error = model::StanzaError::make(model::ErrorCondition::resource_constraint);
  start();
  auto client = connect();
  ASSERT_TRUE(authenticate(*client, "alice", "secret"));
  client->send("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  auto reply = client->next_named("iq");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "error");
  ASSERT_NE(reply->child("error"), nullptr);
  EXPECT_NE(reply->child("error")->child("resource-constraint"), nullptr);
}

TEST_F(Negotiation, StanzaBeforeBindIsNotAuthorized) {
  start();
  auto client = connect();
  ASSERT_TRUE(authenticate(*client, "alice", "secret"));
  client->send("<message to='bob@localhost'><body>hi</body></message>");
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "not-authorized");
}

TEST_F(Negotiation, WrongPasswordFailsThenStreamClosesAfterRetries) {
  start();
  auto client = connect();
  negotiate_tls(*client);
  ASSERT_TRUE(open(*client));
  for (int i = 0; i < 3; ++i) {
    client->send(plain_auth("alice", "wrong"));
    auto failure = client->next();
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->name(), "failure");
    EXPECT_NE(failure->child("not-authorized"), nullptr);
  }
  // RFC 6120 §6.4.5: after the allowed retries the stream ends.
  auto error = client->next();
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "policy-violation");
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(Negotiation, ThrottledAccountIsRefusedWithoutCheckingThePassword) {
  XmppConfig config = test_config();
  config.auth_failures_per_account = 2;
  start(config);
  for (int i = 0; i < 2; ++i) {
    auto client = connect();
    negotiate_tls(*client);
    ASSERT_TRUE(open(*client));
    client->send(plain_auth("alice", "wrong"));
    auto failure = client->next();
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->child("not-authorized"), nullptr);
  }
  auto client = connect();
  negotiate_tls(*client);
  ASSERT_TRUE(open(*client));
  client->send(plain_auth("alice", "secret"));  // right password, but over the limit
  auto failure = client->next();
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->name(), "failure");
  EXPECT_NE(failure->child("temporary-auth-failure"), nullptr);
  EXPECT_EQ(failure->child_text("text"), "too many failed attempts");
  // Bob is not affected.
  auto bob = logged_in("bob", "hunter2", "pc");
  EXPECT_NE(bob, nullptr);
}

TEST_F(Negotiation, ScramSha256WithoutTlsWhenNotRequired) {
  XmppConfig config = test_config();
  config.require_starttls = false;
  start(config);
  auto client = connect();
  auto features = open(*client);
  ASSERT_TRUE(features);
  ASSERT_NE(features->child("mechanisms"), nullptr);
  ScramClient scram(auth::ScramHash::sha256, "alice", "secret");
  client->send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>" +
               auth::base64_encode(scram.client_first()) + "</auth>");
  auto challenge = client->next();
  ASSERT_TRUE(challenge);
  ASSERT_EQ(challenge->name(), "challenge");
  auto server_first = auth::base64_decode(challenge->text());
  ASSERT_TRUE(server_first);
  client->send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
               auth::base64_encode(scram.client_final(*server_first)) + "</response>");
  auto success = client->next();
  ASSERT_TRUE(success);
  ASSERT_EQ(success->name(), "success");
  auto server_final = auth::base64_decode(success->text());
  ASSERT_TRUE(server_final);
  EXPECT_TRUE(scram.verify_server_final(*server_final));
  ASSERT_TRUE(open(*client));
  EXPECT_EQ(bind(*client, "r"), "alice@localhost/r");
}

TEST_F(Negotiation, PlainIsNotOfferedWithoutTls) {
  XmppConfig config = test_config();
  config.require_starttls = false;
  start(config);
  auto client = connect();
  ASSERT_TRUE(open(*client));
  client->send(plain_auth("alice", "secret"));
  auto failure = client->next();
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->name(), "failure");
  EXPECT_NE(failure->child("invalid-mechanism"), nullptr);
}

TEST_F(Negotiation, AbortEndsTheExchange) {
  XmppConfig config = test_config();
  config.require_starttls = false;
  start(config);
  auto client = connect();
  ASSERT_TRUE(open(*client));
  client->send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'/>");
  auto challenge = client->next();
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->name(), "challenge");
  client->send("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  auto failure = client->next();
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->child("aborted"), nullptr);
}

TEST_F(Negotiation, HandshakeTimeout) {
  XmppConfig config = test_config();
  config.handshake_timeout = std::chrono::seconds(1);
  start(config);
  auto client = connect();
  ASSERT_TRUE(open(*client));
  auto error = client->next_named("error", 5s);
  ASSERT_TRUE(error);
  EXPECT_EQ(stream_error_condition(*error), "connection-timeout");
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(Negotiation, ClientCloseIsAnswered) {
  start();
  auto client = logged_in("alice", "secret", "pc");
  ASSERT_NE(client, nullptr);
  client->send("</stream:stream>");
  EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(client->stream_closed_by_server());
  ASSERT_TRUE(core_.wait([&] { return !core_.unbinds.empty(); }));
  EXPECT_EQ(core_.locked([&] { return core_.unbinds.front(); }), addr("alice@localhost/pc"));
}

// PLAIN's key stretching runs on the server's CpuWork. A full queue refuses the login with
// temporary-auth-failure (RFC 6120 §6.5.9); SCRAM, which needs no stretching, still works.
struct RefusingCpuWork final : api::CpuWork {
  bool submit(std::function<void()>) override { return false; }
};

TEST_F(Negotiation, PlainLoginWithTheKeyDerivationQueueFullIsATemporaryFailure) {
  RefusingCpuWork refusing;
  cpu_work_override_ = &refusing;
  XmppConfig config = test_config();
  config.require_starttls = false;  // for the SCRAM login over plain TCP below
  start(config);
  auto client = connect();
  negotiate_tls(*client);
  ASSERT_TRUE(open(*client));
  client->send(plain_auth("alice", "secret"));
  auto failure = client->next();
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->name(), "failure");
  EXPECT_NE(failure->child("temporary-auth-failure"), nullptr);
  EXPECT_EQ(failure->child_text("text"), "server busy");
  EXPECT_NE(logged_in_without_tls("alice", "secret", "pc"), nullptr);
}

// A PLAIN check still running when the client abandons the exchange (<abort/>, RFC 6120
// §6.4.4): its late verdict must not log the stream in.
struct HeldCpuWork final : api::CpuWork {
  std::mutex mutex;
  std::vector<std::function<void()>> held;
  bool submit(std::function<void()> work) override {
    std::lock_guard lock(mutex);
    held.push_back(std::move(work));
    return true;
  }
  // Waits (bounded) until `count` checks are queued: the session submits on its own thread.
  bool wait_for(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (held.size() >= count) return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void run_all() {
    std::vector<std::function<void()>> jobs;
    {
      std::lock_guard lock(mutex);
      jobs.swap(held);
    }
    for (auto& job : jobs) job();
  }
};

TEST_F(Negotiation, APlainVerdictAfterAbortIsIgnored) {
  HeldCpuWork held;
  cpu_work_override_ = &held;
  start();
  auto client = connect();
  negotiate_tls(*client);
  ASSERT_TRUE(open(*client));
  client->send(plain_auth("alice", "secret"));
  ASSERT_TRUE(held.wait_for(1));  // the check is queued
  client->send("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  auto aborted = client->next();
  ASSERT_TRUE(aborted);
  EXPECT_NE(aborted->child("aborted"), nullptr);
  // A new exchange with a wrong password is under way when the abandoned one's verdict (the
  // right password: "matched") arrives: it must not be taken for the new one's.
  client->send(plain_auth("alice", "wrong"));
  ASSERT_TRUE(held.wait_for(2));
  held.run_all();  // the stale verdict first, then the new one
  auto next = client->next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->name(), "failure") << next->serialize();
  EXPECT_NE(next->child("not-authorized"), nullptr) << next->serialize();
}

}  // namespace
}  // namespace parley::xmpp::test
