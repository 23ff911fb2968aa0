// REGISTER (RFC 3261 §10.3) with digest authentication (RFC 7616 / RFC 8760).
#include "tests/unit/adapters/sip/services/services_harness.hpp"

namespace parley::sip::testing {
namespace {

class RegistrarTest : public ServicesHarness {
 protected:
  SipMessage plain_register(std::string_view contact, std::string expires = "3600") {
    return request(
        {"REGISTER sip:127.0.0.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKr1",
         "From: <sip:alice@127.0.0.1>;tag=a1", "To: <sip:alice@127.0.0.1>", "Call-ID: reg1",
         "CSeq: 1 REGISTER", "Contact: " + std::string(contact), "Expires: " + expires});
  }
};

TEST_F(RegistrarTest, ChallengesWithSha256ThenMd5) {
  auto t = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  ASSERT_EQ(t->responses.size(), 1u);
  const auto& r = t->responses[0];
  EXPECT_EQ(r.status, 401);
  auto challenges = r.header_values("WWW-Authenticate");
  ASSERT_EQ(challenges.size(), 2u);
  auto first = DigestChallenge::parse(challenges[0]);
  auto second = DigestChallenge::parse(challenges[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->algorithm, DigestAlgorithm::sha256);
  EXPECT_EQ(second->algorithm, DigestAlgorithm::md5);
  EXPECT_EQ(first->realm, "example.com");  // realm = the account's domain
  EXPECT_EQ(first->qop, "auth");
  EXPECT_FALSE(first->stale);
  EXPECT_TRUE(core_.endpoints.empty());
}

TEST_F(RegistrarTest, RegisterBindsTheAccountEndpointAndAnnouncesPresence) {
  auto r = register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40000>", 600);
  EXPECT_EQ(r.status, 200);
  auto contacts = r.contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(find_param(contacts[0].params, "expires"), "600");
  ASSERT_NE(endpoint_of("alice@example.com/sip"), nullptr);
  ASSERT_EQ(core_.presences.size(), 1u);
  EXPECT_EQ(core_.presences[0].type, model::PresenceType::available);
  EXPECT_EQ(core_.presences[0].from, addr("alice@example.com/sip"));
}

TEST_F(RegistrarTest, Sha256CredentialsWork) {
  auto first = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  auto again = plain_register("<sip:alice@127.0.0.1:40000>");
  again.set_header("CSeq", "2 REGISTER");
  auto t = send(with_credentials(again, first->responses[0], "alice", "alice-secret",
                                 DigestAlgorithm::sha256));
  ASSERT_EQ(t->responses.size(), 1u);
  EXPECT_EQ(t->responses[0].status, 200);
}

TEST_F(RegistrarTest, WrongPasswordIs403AndRepeatedFailuresAreThrottled) {
  auto first = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  for (int i = 0; i < 5; ++i) {
    auto t = send(with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"),
                                   first->responses[0], "alice", "wrong"));
    ASSERT_EQ(t->responses.size(), 1u);
    EXPECT_EQ(t->responses[0].status, 403);
    EXPECT_EQ(t->responses[0].reason, "Wrong Credentials");
  }
  // Over the per-account limit (5): refused before the password is looked at.
  auto fresh = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  auto t = send(with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"), fresh->responses[0],
                                 "alice", "alice-secret"));
  EXPECT_EQ(t->responses.at(0).status, 403);
  EXPECT_EQ(t->responses.at(0).reason, "Too Many Failed Attempts");
  // The window passes.
  now_ += std::chrono::seconds(61);
  auto later = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  auto ok = send(with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"),
                                  later->responses[0], "alice", "alice-secret"));
  EXPECT_EQ(ok->responses.at(0).status, 200);
}

TEST_F(RegistrarTest, ReplayedNonceCountAndExpiredNonceGetStaleChallenges) {
  auto first = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  auto answered = with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"),
                                   first->responses[0], "alice", "alice-secret");
  EXPECT_EQ(send(answered)->responses.at(0).status, 200);
  auto replay = send(answered);  // same nonce, same nc
  ASSERT_EQ(replay->responses.at(0).status, 401);
  auto stale = DigestChallenge::parse(replay->responses[0].header_values("WWW-Authenticate")[0]);
  ASSERT_TRUE(stale);
  EXPECT_TRUE(stale->stale);
  // A higher nc on the same nonce is fine (RFC 7616 §3.4).
  auto next = with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"), first->responses[0],
                               "alice", "alice-secret", DigestAlgorithm::md5, "00000002");
  next.set_header("CSeq", "5 REGISTER");
  EXPECT_EQ(send(next)->responses.at(0).status, 200);
  // After the nonce lifetime (300 s) the right password gets stale=true, not 403.
  now_ += std::chrono::seconds(301);
  auto old = with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"), first->responses[0],
                              "alice", "alice-secret", DigestAlgorithm::md5, "00000003");
  auto expired = send(old);
  ASSERT_EQ(expired->responses.at(0).status, 401);
  EXPECT_TRUE(
      DigestChallenge::parse(expired->responses[0].header_values("WWW-Authenticate")[0])->stale);
}

TEST_F(RegistrarTest, TooBriefIs423WithMinExpires) {
  auto r = register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40000>", 10);
  EXPECT_EQ(r.status, 423);
  EXPECT_EQ(r.header("Min-Expires"), "60");
  EXPECT_TRUE(core_.endpoints.empty());
}

TEST_F(RegistrarTest, LongExpiryIsShortenedToTheMaximum) {
  auto r = register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40000>", 99999);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(find_param(r.contacts().at(0).params, "expires"), "3600");
}

TEST_F(RegistrarTest, SeveralDevicesAndWildcardRemoval) {
  ASSERT_EQ(
      register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40000>", 600, 40000).status,
      200);
  auto r = register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40002>", 600, 40002);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.contacts().size(), 2u);
  EXPECT_EQ(core_.binds, 1);  // one endpoint per account

  auto r2 = register_device("alice", "alice-secret", "*", 0, 40000);
  EXPECT_EQ(r2.status, 200);
  EXPECT_TRUE(r2.contacts().empty());
  EXPECT_EQ(endpoint_of("alice@example.com/sip"), nullptr);
  EXPECT_EQ(core_.unbinds, 1);
}

TEST_F(RegistrarTest, WildcardWithoutExpiresZeroIs400) {
  auto r = register_device("alice", "alice-secret", "*", 60);
  EXPECT_EQ(r.status, 400);
}

TEST_F(RegistrarTest, BindingsExpire) {
  ASSERT_EQ(register_device("alice", "alice-secret", "<sip:alice@127.0.0.1:40000>", 60).status,
            200);
  now_ += std::chrono::seconds(59);
  services_->sweep();
  run();
  EXPECT_NE(endpoint_of("alice@example.com/sip"), nullptr);
  now_ += std::chrono::seconds(2);
  services_->sweep();
  run();
  EXPECT_EQ(endpoint_of("alice@example.com/sip"), nullptr);
}

TEST_F(RegistrarTest, UnknownDomainIs404AndAnotherUsersCredentialsAre403) {
  auto foreign =
      request({"REGISTER sip:other.org SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKx",
               "From: <sip:alice@other.org>;tag=a", "To: <sip:alice@other.org>", "Call-ID: x",
               "CSeq: 1 REGISTER", "Contact: <sip:alice@127.0.0.1>"});
  EXPECT_EQ(send(foreign)->responses.at(0).status, 404);
  auto first = send(plain_register("<sip:alice@127.0.0.1:40000>"));
  auto t = send(with_credentials(plain_register("<sip:alice@127.0.0.1:40000>"), first->responses[0],
                                 "bob", "bob-secret"));
  EXPECT_EQ(t->responses.at(0).status, 403);
}

TEST_F(RegistrarTest, ClosedTcpFlowDropsItsBindings) {
  Flow tcp = udp_flow(41000);
  tcp.transport = Transport::tcp;
  tcp.connection_id = 7;
  auto message = plain_register("<sip:alice@127.0.0.1:41000;transport=tcp>");
  auto first = send(message, tcp);
  auto t = send(with_credentials(message, first->responses[0], "alice", "alice-secret"), tcp);
  ASSERT_EQ(t->responses.at(0).status, 200);
  ASSERT_NE(endpoint_of("alice@example.com/sip"), nullptr);
  services_->on_flow_closed(tcp);
  run();
  EXPECT_EQ(endpoint_of("alice@example.com/sip"), nullptr);
}

}  // namespace
}  // namespace parley::sip::testing
