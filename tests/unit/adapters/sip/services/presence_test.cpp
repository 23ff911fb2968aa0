// PUBLISH (RFC 3903) and SUBSCRIBE/NOTIFY (RFC 3856, RFC 6665) with both watcher policies.
#include "tests/unit/adapters/sip/services/services_harness.hpp"

namespace parley::sip::testing {
namespace {

const std::string kBusyPidf =
    "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
    "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
    "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:alice@example.com\">"
    "<tuple id=\"t1\"><status><basic>open</basic></status></tuple>"
    "<dm:person id=\"p1\"><rpid:activities><rpid:busy/></rpid:activities>"
    "<dm:note>In a meeting</dm:note></dm:person></presence>";

SipServicesConfig organisation_config() {
  auto config = ServicesHarness::default_config();
  config.policy = PresencePolicy::organisation;
  return config;
}

class PresenceTest : public ServicesHarness {
 protected:
  explicit PresenceTest(SipServicesConfig config = default_config())
      : ServicesHarness(std::move(config)) {}

  SipMessage publish(std::string body, std::string extra = {}, std::string event = "presence") {
    std::vector<std::string> lines{
        "PUBLISH sip:alice@127.0.0.1 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKp" + std::to_string(++call_),
        "From: <sip:alice@127.0.0.1>;tag=p",
        "To: <sip:alice@127.0.0.1>",
        "Call-ID: pub" + std::to_string(call_),
        "CSeq: 1 PUBLISH",
        "Event: " + event,
        "Expires: 600"};
    if (!body.empty()) lines.push_back("Content-Type: application/pidf+xml");
    if (!extra.empty()) lines.push_back(extra);
    return request(lines, std::move(body));
  }

  SipMessage subscribe(std::string_view target, std::string to_tag = {},
                       std::string expires = "600") {
    return request(
        {"SUBSCRIBE sip:" + std::string(target) + " SIP/2.0",
         "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKs" + std::to_string(++call_),
         "From: <sip:alice@127.0.0.1>;tag=w1",
         "To: <sip:" + std::string(target) + ">" + (to_tag.empty() ? "" : ";tag=" + to_tag),
         "Call-ID: sub1", "CSeq: " + std::to_string(call_) + " SUBSCRIBE",
         "Contact: <sip:alice@127.0.0.1:40000>", "Event: presence", "Accept: application/pidf+xml",
         "Expires: " + expires});
  }

  void deliver_presence(std::string_view to_full, model::Presence presence) {
    auto endpoint = endpoint_of(to_full);
    ASSERT_NE(endpoint, nullptr);
    endpoint->deliver(
        api::PresenceDelivery{std::make_shared<model::Presence>(std::move(presence))});
    run();
  }
};

TEST_F(PresenceTest, PublishSetsTheUsersPresenceWithEntityTags) {
  auto r = authenticated(publish(kBusyPidf), "alice", "alice-secret");
  ASSERT_EQ(r.status, 200);
  const auto etag = r.header("SIP-ETag");
  ASSERT_TRUE(etag.has_value());
  EXPECT_EQ(r.header("Expires"), "600");
  ASSERT_EQ(core_.presences.size(), 1u);
  EXPECT_EQ(core_.presences[0].from, addr("alice@example.com/sip"));
  EXPECT_EQ(core_.presences[0].show, model::Show::dnd);
  EXPECT_EQ(core_.presences[0].status, "In a meeting");

  // Refresh with the tag: a new tag, the same state (nothing new for the core).
  auto refresh = authenticated(publish({}, "SIP-If-Match: " + *etag), "alice", "alice-secret");
  ASSERT_EQ(refresh.status, 200);
  EXPECT_NE(refresh.header("SIP-ETag"), etag);
  EXPECT_EQ(core_.presences.size(), 1u);
  // The old tag is gone: 412.
  EXPECT_EQ(authenticated(publish({}, "SIP-If-Match: " + *etag), "alice", "alice-secret").status,
            412);
  // Expiry removes the publication: the account goes unavailable and unbound.
  now_ += std::chrono::seconds(601);
  services_->sweep();
  run();
  EXPECT_EQ(endpoint_of("alice@example.com/sip"), nullptr);
}

TEST_F(PresenceTest, PublishErrors) {
  EXPECT_EQ(send(publish(kBusyPidf, {}, "dialog"))->responses.at(0).status, 489);
  EXPECT_EQ(authenticated(publish({}), "alice", "alice-secret").status, 400);
  EXPECT_EQ(authenticated(publish("<presence/>"), "alice", "alice-secret").status, 400);
}

TEST_F(PresenceTest, RosterPolicyPendingUntilApproved) {
  // Not in the roster: pending, and the core gets subscribe + the reverse approval.
  auto r = authenticated(subscribe("bob@example.com"), "alice", "alice-secret");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Expires"), "600");
  auto notifies = sent_of("NOTIFY");
  ASSERT_EQ(notifies.size(), 1u);
  EXPECT_EQ(notifies[0].request.header("Subscription-State"), "pending;expires=600");
  EXPECT_TRUE(notifies[0].request.body.empty());
  ASSERT_EQ(core_.presences.size(), 2u);
  EXPECT_EQ(core_.presences[0].type, model::PresenceType::subscribe);
  EXPECT_EQ(core_.presences[0].to, addr("bob@example.com"));
  EXPECT_EQ(core_.presences[1].type, model::PresenceType::subscribed);
  EXPECT_TRUE(core_.watches.empty());

  // Bob approves: active, watched through the core, and his presence becomes a NOTIFY.
  model::Presence approved;
  approved.from = addr("bob@example.com");
  approved.to = addr("alice@example.com");
  approved.type = model::PresenceType::subscribed;
  deliver_presence("alice@example.com/sip", approved);
  ASSERT_EQ(core_.watches.size(), 1u);
  notifies = sent_of("NOTIFY");
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(notifies[1].request.header("Subscription-State"), "active;expires=600");
  EXPECT_NE(notifies[1].request.body.find("closed"), std::string::npos);

  model::Presence dnd;
  dnd.from = addr("bob@example.com/laptop");
  dnd.show = model::Show::dnd;
  dnd.status = "busy busy";
  deliver_presence("alice@example.com/sip", dnd);
  notifies = sent_of("NOTIFY");
  ASSERT_EQ(notifies.size(), 3u);
  const auto& last = notifies[2].request;
  EXPECT_EQ(last.content_type(), "application/pidf+xml");
  EXPECT_NE(last.body.find("open"), std::string::npos);
  EXPECT_NE(last.body.find("busy busy"), std::string::npos);
  EXPECT_EQ(last.from()->uri.to_string(), "sip:bob@example.com");
  EXPECT_EQ(find_param(last.to()->params, "tag"), "w1");
  EXPECT_EQ(last.call_id(), "sub1");
  // The same state again is not re-sent.
  deliver_presence("alice@example.com/sip", dnd);
  EXPECT_EQ(sent_of("NOTIFY").size(), 3u);
}

TEST_F(PresenceTest, RosterPolicyActiveAtOnceWhenAlreadySubscribed) {
  model::RosterItem item;
  item.jid = addr("bob@example.com");
  item.state = model::SubscriptionState::both;
  core_.roster.items.push_back(item);
  ASSERT_EQ(authenticated(subscribe("bob@example.com"), "alice", "alice-secret").status, 200);
  ASSERT_EQ(core_.watches.size(), 1u);
  EXPECT_EQ(core_.watches[0].first, addr("alice@example.com/sip"));
  auto notifies = sent_of("NOTIFY");
  ASSERT_FALSE(notifies.empty());
  EXPECT_EQ(notifies.back().request.header("Subscription-State"), "active;expires=600");
}

TEST_F(PresenceTest, RefreshUnsubscribeAndUnknownDialog) {
  auto r = authenticated(subscribe("bob@example.com"), "alice", "alice-secret");
  ASSERT_EQ(r.status, 200);
  const std::string tag = find_param(r.to()->params, "tag").value_or("");
  ASSERT_FALSE(tag.empty());
  const auto before = sent_of("NOTIFY").size();
  ASSERT_EQ(authenticated(subscribe("bob@example.com", tag, "900"), "alice", "alice-secret").status,
            200);
  EXPECT_EQ(sent_of("NOTIFY").size(), before + 1);  // a NOTIFY after every refresh
  ASSERT_EQ(authenticated(subscribe("bob@example.com", tag, "0"), "alice", "alice-secret").status,
            200);
  EXPECT_EQ(sent_of("NOTIFY").back().request.header("Subscription-State"),
            "terminated;reason=timeout");
  EXPECT_EQ(authenticated(subscribe("bob@example.com", tag), "alice", "alice-secret").status, 481);
}

TEST_F(PresenceTest, UnknownEventIs489AndUnknownPresentity404) {
  auto bad = subscribe("bob@example.com");
  bad.set_header("Event", "dialog");
  auto t = send(bad);
  EXPECT_EQ(t->responses.at(0).status, 489);
  EXPECT_EQ(t->responses[0].header("Allow-Events"), "presence");
  EXPECT_EQ(authenticated(subscribe("nobody@example.com"), "alice", "alice-secret").status, 404);
}

TEST_F(PresenceTest, SubscriptionsExpireWithATerminatedNotify) {
  ASSERT_EQ(authenticated(subscribe("bob@example.com", {}, "60"), "alice", "alice-secret").status,
            200);
  now_ += std::chrono::seconds(61);
  services_->sweep();
  run();
  EXPECT_EQ(sent_of("NOTIFY").back().request.header("Subscription-State"),
            "terminated;reason=timeout");
  EXPECT_EQ(endpoint_of("alice@example.com/sip"), nullptr);  // nothing keeps it bound
}

class OrganisationPresenceTest : public PresenceTest {
 protected:
  OrganisationPresenceTest() : PresenceTest(organisation_config()) {}
};

TEST_F(OrganisationPresenceTest, ColleaguesOfTheDomainAreActiveAtOnce) {
  ASSERT_EQ(authenticated(subscribe("bob@example.com"), "alice", "alice-secret").status, 200);
  ASSERT_EQ(core_.watches.size(), 1u);
  EXPECT_EQ(core_.watches[0].second, addr("bob@example.com"));
  auto notifies = sent_of("NOTIFY");
  ASSERT_EQ(notifies.size(), 1u);
  EXPECT_EQ(notifies[0].request.header("Subscription-State"), "active;expires=600");
  // No roster request was needed.
  for (const auto& p : core_.presences) EXPECT_NE(p.type, model::PresenceType::subscribe);

  // An XMPP colleague asking to see alice is approved on her behalf.
  model::Presence ask;
  ask.from = addr("bob@example.com");
  ask.to = addr("alice@example.com");
  ask.type = model::PresenceType::subscribe;
  deliver_presence("alice@example.com/sip", ask);
  ASSERT_FALSE(core_.presences.empty());
  EXPECT_EQ(core_.presences.back().type, model::PresenceType::subscribed);
  EXPECT_EQ(core_.presences.back().to, addr("bob@example.com"));
}

}  // namespace
}  // namespace parley::sip::testing
