// MESSAGE (RFC 3428) both ways, and the request dispatch (OPTIONS, 405/501).
#include <cstdio>

#include "tests/unit/adapters/sip/services/services_harness.hpp"

namespace parley::sip::testing {
namespace {

class MessageTest : public ServicesHarness {
 protected:
  explicit MessageTest(SipServicesConfig config = default_services_config())
      : ServicesHarness(std::move(config)) {}

  SipMessage message_to(std::string_view target, std::string body,
                        std::string type = "text/plain") {
    return request(
        {"MESSAGE sip:" + std::string(target) + " SIP/2.0",
         "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKm" + std::to_string(++call_),
         "From: <sip:alice@127.0.0.1>;tag=a1", "To: <sip:" + std::string(target) + ">",
         "Call-ID: msg" + std::to_string(call_), "CSeq: 1 MESSAGE", "Content-Type: " + type},
        std::move(body));
  }
};

TEST_F(MessageTest, UnauthenticatedMessageIsChallengedWith407) {
  auto t = send(message_to("bob@example.com", "hi"));
  ASSERT_EQ(t->responses.size(), 1u);
  EXPECT_EQ(t->responses[0].status, 407);
  EXPECT_EQ(t->responses[0].header_values("Proxy-Authenticate").size(), 2u);
  EXPECT_TRUE(core_.messages.empty());
}

TEST_F(MessageTest, AuthenticatedMessageGoesThroughTheCore) {
  auto r = authenticated(message_to("bob@127.0.0.1", "hello bob"), "alice", "alice-secret");
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(core_.messages.size(), 1u);
  EXPECT_EQ(core_.messages[0].from, addr("alice@example.com/sip"));
  EXPECT_EQ(core_.messages[0].to, addr("bob@example.com"));
  EXPECT_EQ(core_.messages[0].body, "hello bob");
  EXPECT_EQ(core_.messages[0].type, model::MessageType::chat);
}

TEST_F(MessageTest, FollowingRequestsOnTheNonceUseTheRememberedCredential) {
  // A client challenged once sends its next MESSAGEs on the same nonce with a growing nc: the
  // credential read for the first (sip.auth.credential_cache_s, 30 s) serves them, so they
  // do not wait for the account store.
  auto first = send(message_to("bob@example.com", "one"));
  ASSERT_EQ(first->responses.size(), 1u);
  const SipMessage challenge = first->responses[0];
  auto nth = [&](int n, std::string_view password) {
    char nc[9];
    std::snprintf(nc, sizeof nc, "%08x", n);
    auto t = send(with_credentials(message_to("bob@example.com", "m" + std::to_string(n)),
                                   challenge, "alice", password, DigestAlgorithm::md5, nc));
    return t->responses.empty() ? 0 : t->responses[0].status;
  };
  EXPECT_EQ(nth(1, "alice-secret"), 202);
  EXPECT_EQ(credentials_.lookups, 1);
  EXPECT_EQ(nth(2, "alice-secret"), 202);
  EXPECT_EQ(nth(3, "alice-secret"), 202);
  EXPECT_EQ(credentials_.lookups, 1);
  EXPECT_EQ(core_.messages.size(), 3u);
  // A wrong password is checked against the store, not only the cache, and refused.
  EXPECT_EQ(nth(4, "guess"), 403);
  EXPECT_EQ(credentials_.lookups, 2);
  // A password changed to a new one works at once (the remembered one fails, the store has
  // the new one) ...
  add_account("alice@example.com", "new-secret");
  EXPECT_EQ(nth(5, "new-secret"), 202);
  EXPECT_EQ(credentials_.lookups, 3);
  // ... the old one is honoured until the remembered read is 30 s old, no longer.
  add_account("alice@example.com", "alice-secret");
  EXPECT_EQ(nth(6, "alice-secret"), 202);  // store read again: it is the password now
  add_account("alice@example.com", "newer-secret");
  now_ += std::chrono::seconds(29);
  EXPECT_EQ(nth(7, "alice-secret"), 202);
  EXPECT_EQ(credentials_.lookups, 4);
  now_ += std::chrono::seconds(1);
  EXPECT_EQ(nth(8, "alice-secret"), 403);
  EXPECT_EQ(credentials_.lookups, 5);
  EXPECT_EQ(nth(9, "newer-secret"), 202);
}

SipServicesConfig without_credential_cache() {
  auto config = default_services_config();
  config.digest.credential_cache = std::chrono::seconds(0);
  return config;
}

class UncachedMessageTest : public MessageTest {
 protected:
  UncachedMessageTest() : MessageTest(without_credential_cache()) {}
};

TEST_F(UncachedMessageTest, WithTheCacheOffEveryRequestReadsTheStore) {
  auto first = send(message_to("bob@example.com", "one"));
  ASSERT_EQ(first->responses.size(), 1u);
  for (const char* nc : {"00000001", "00000002"}) {
    auto t = send(with_credentials(message_to("bob@example.com", nc), first->responses[0], "alice",
                                   "alice-secret", DigestAlgorithm::md5, nc));
    ASSERT_EQ(t->responses.size(), 1u);
    EXPECT_EQ(t->responses[0].status, 202);
  }
  EXPECT_EQ(credentials_.lookups, 2);
}

// An archive whose backlog the test sets (only backlogged() is used by the services).
struct BacklogArchive final : api::MessageArchive {
  bool backlog = false;
  void record(std::shared_ptr<const model::Message>) override {}
  void query(api::ArchiveQuery,
             std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)>) override {}
  bool backlogged() const override { return backlog; }
};

TEST_F(MessageTest, ABackloggedArchiveAnswers503WithRetryAfterAndRoutesNothing) {
  // Over UDP (no flow control to hold the peer with), RFC 3261 §21.5.4: temporarily unable,
  // retry later; the message is not routed, so it is not delivered without its archive rows.
  // Once the backlog clears, MESSAGE goes through.
  BacklogArchive archive;
  services_->attach_archive(archive);
  archive.backlog = true;
  auto busy = authenticated(message_to("bob@example.com", "later"), "alice", "alice-secret");
  EXPECT_EQ(busy.status, 503);
  EXPECT_FALSE(busy.header_values("Retry-After").empty());
  EXPECT_TRUE(core_.messages.empty());
  archive.backlog = false;
  auto sent = authenticated(message_to("bob@example.com", "now"), "alice", "alice-secret");
  EXPECT_EQ(sent.status, 202);
  ASSERT_EQ(core_.messages.size(), 1u);
  EXPECT_EQ(core_.messages[0].body, "now");
}

TEST_F(MessageTest, ABackloggedArchiveDoesNotRefuseStreamPeers) {
  // A TCP/TLS peer is held by its connection (its reads pause) while the archive is
  // backlogged; what was read before still goes through, the archive has room for it.
  BacklogArchive archive;
  services_->attach_archive(archive);
  archive.backlog = true;
  Flow tcp = udp_flow(40001);
  tcp.transport = Transport::tcp;
  tcp.connection_id = 7;
  auto sent =
      authenticated(message_to("bob@example.com", "over tcp"), "alice", "alice-secret", tcp);
  EXPECT_EQ(sent.status, 202);
  ASSERT_EQ(core_.messages.size(), 1u);
  EXPECT_EQ(core_.messages[0].body, "over tcp");
}

TEST_F(MessageTest, HtmlKeepsThePayloadForSipRecipients) {
  auto r = authenticated(message_to("bob@example.com", "<b>bold</b>", "text/html"), "alice",
                         "alice-secret");
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(core_.messages.size(), 1u);
  EXPECT_EQ(core_.messages[0].body, "bold");
  ASSERT_EQ(core_.messages[0].extensions.size(), 1u);
  EXPECT_EQ(core_.messages[0].extensions[0].data, "<b>bold</b>");
}

TEST_F(MessageTest, ErrorCodes) {
  // 415 with Accept, before authentication.
  auto t = send(message_to("bob@example.com", "x", "image/png"));
  EXPECT_EQ(t->responses.at(0).status, 415);
  EXPECT_TRUE(t->responses[0].header("Accept").has_value());
  // 413 for a body over the limit.
  auto big = send(message_to("bob@example.com", std::string(40000, 'x')));
  EXPECT_EQ(big->responses.at(0).status, 413);
  // 404 for an unknown local user (after authentication) and a foreign domain.
  EXPECT_EQ(authenticated(message_to("nobody@example.com", "x"), "alice", "alice-secret").status,
            404);
  EXPECT_EQ(send(message_to("bob@other.org", "x"))->responses.at(0).status, 404);
  EXPECT_TRUE(core_.messages.empty());
}

TEST_F(MessageTest, DeliveryForksToEveryRegisteredDevice) {
  ASSERT_EQ(register_device("bob", "bob-secret", "<sip:bob@127.0.0.1:40010>", 600, 40010).status,
            200);
  ASSERT_EQ(register_device("bob", "bob-secret", "<sip:bob@127.0.0.1:40012>", 600, 40012).status,
            200);
  auto endpoint = endpoint_of("bob@example.com/sip");
  ASSERT_NE(endpoint, nullptr);
  auto message = std::make_shared<model::Message>();
  message->from = addr("carol@example.com/laptop");
  message->to = addr("bob@example.com");
  message->type = model::MessageType::chat;
  message->body = "hi from xmpp";
  endpoint->deliver(api::MessageDelivery{message});
  run();
  auto sent = sent_of("MESSAGE");
  ASSERT_EQ(sent.size(), 2u);
  std::set<std::uint16_t> ports;
  for (const auto& s : sent) {
    ports.insert(s.flow.remote_port);
    EXPECT_EQ(s.request.body, "hi from xmpp");
    EXPECT_EQ(s.request.from()->uri.to_string(), "sip:carol@example.com");
    EXPECT_EQ(s.request.to()->uri.to_string(), "sip:bob@example.com");
    EXPECT_EQ(s.request.content_type(), "text/plain");
  }
  EXPECT_EQ(ports, (std::set<std::uint16_t>{40010, 40012}));
  // A device whose flow is dead (430) loses its binding.
  sent[0].done(ClientOutcome{430, nullptr});
  run();
  endpoint->deliver(api::MessageDelivery{message});
  run();
  EXPECT_EQ(sent_of("MESSAGE").size(), 3u);
}

TEST_F(MessageTest, OptionsAndUnknownMethods) {
  auto options = send(request(
      {"OPTIONS sip:127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKo",
       "From: <sip:x@127.0.0.1>;tag=o", "To: <sip:127.0.0.1>", "Call-ID: o", "CSeq: 1 OPTIONS"}));
  ASSERT_EQ(options->responses.at(0).status, 200);
  EXPECT_NE(options->responses[0].header("Allow")->find("MESSAGE"), std::string::npos);
  EXPECT_TRUE(options->responses[0].header("Accept").has_value());
  auto unknown = send(request(
      {"FOO sip:127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKf",
       "From: <sip:x@127.0.0.1>;tag=o", "To: <sip:127.0.0.1>", "Call-ID: f", "CSeq: 1 FOO"}));
  EXPECT_EQ(unknown->responses.at(0).status, 501);
  auto refer = send(request(
      {"REFER sip:127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKq",
       "From: <sip:x@127.0.0.1>;tag=o", "To: <sip:127.0.0.1>", "Call-ID: q", "CSeq: 1 REFER"}));
  EXPECT_EQ(refer->responses.at(0).status, 405);
  EXPECT_TRUE(refer->responses[0].header("Allow").has_value());
}

TEST_F(MessageTest, ImSessionInviteAnswersMessageMediaAndRefusesAudio) {
  const std::string im_offer =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=message 5060 sip null\r\na=accept-types:text/plain\r\n";
  auto invite = request(
      {"INVITE sip:bob@127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKi",
       "From: <sip:alice@127.0.0.1>;tag=ai", "To: <sip:bob@127.0.0.1>", "Call-ID: inv1",
       "CSeq: 1 INVITE", "Contact: <sip:alice@127.0.0.1:40000>", "Content-Type: application/sdp"},
      im_offer);
  auto r = authenticated(invite, "alice", "alice-secret");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type(), "application/sdp");
  EXPECT_NE(r.body.find("m=message 5060 sip null"), std::string::npos);
  const std::string to_tag = find_param(r.to()->params, "tag").value_or("");
  ASSERT_FALSE(to_tag.empty());
  auto bye = send(
      request({"BYE sip:127.0.0.1:5060 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKb",
               "From: <sip:alice@127.0.0.1>;tag=ai", "To: <sip:bob@127.0.0.1>;tag=" + to_tag,
               "Call-ID: inv1", "CSeq: 2 BYE"}));
  EXPECT_EQ(bye->responses.at(0).status, 200);
  auto again = send(
      request({"BYE sip:127.0.0.1:5060 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKc",
               "From: <sip:alice@127.0.0.1>;tag=ai", "To: <sip:bob@127.0.0.1>;tag=" + to_tag,
               "Call-ID: inv1", "CSeq: 3 BYE"}));
  EXPECT_EQ(again->responses.at(0).status, 481);

  const std::string audio_offer =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 0\r\n";
  auto call = request(
      {"INVITE sip:bob@127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKa",
       "From: <sip:alice@127.0.0.1>;tag=aa", "To: <sip:bob@127.0.0.1>", "Call-ID: inv2",
       "CSeq: 1 INVITE", "Contact: <sip:alice@127.0.0.1:40000>", "Content-Type: application/sdp"},
      audio_offer);
  EXPECT_EQ(send(call)->responses.at(0).status, 488);
}

}  // namespace
}  // namespace parley::sip::testing
