// XEP-0313 user archives against the real parleyd: hundreds of 1:1 messages are archived for
// both parties and paged through in order with XEP-0059 RSM; archive ids are the XEP-0359
// stanza ids the recipient saw on delivery (unique and stable); <before/> gives the last page,
// 'with' filters, unknown ids are item-not-found, and the account advertises urn:xmpp:mam:2.
// With archive.enabled false none of it is offered and a query is service-unavailable.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr const char* kMam = "urn:xmpp:mam:2";
constexpr const char* kRsm = "http://jabber.org/protocol/rsm";

struct Page {
  std::vector<std::string> ids;     // archive ids, in the order received
  std::vector<std::string> bodies;  // bodies of the forwarded messages
  bool complete = false;
  std::string first;
  std::string last;
  std::string error;  // the error condition when the query failed
};

XmlNode field(const std::string& var, const std::string& value) {
  XmlNode f("field", "jabber:x:data");
  f.set("var", var).append(XmlNode("value", "jabber:x:data").set_text(value));
  return f;
}

// One archive query: the results (messages with <result queryid/>) come before the IQ result.
Page query(StropheClient& client, const std::string& query_id, std::size_t max,
           const std::string& after = {}, const std::string& before = {}, bool last_page = false,
           const std::string& with = {}) {
  XmlNode q("query", kMam);
  q.set("queryid", query_id);
  if (!with.empty()) {
    XmlNode form("x", "jabber:x:data");
    form.set("type", "submit");
    XmlNode form_type = field("FORM_TYPE", kMam);
    form_type.set("type", "hidden");
    form.append(form_type).append(field("with", with));
    q.append(form);
  }
  XmlNode set("set", kRsm);
  set.append(XmlNode("max", kRsm).set_text(std::to_string(max)));
  if (!after.empty()) set.append(XmlNode("after", kRsm).set_text(after));
  if (!before.empty() || last_page) set.append(XmlNode("before", kRsm).set_text(before));
  q.append(set);
  XmlNode iq("iq");
  iq.set("type", "set").append(q);
  auto reply = client.iq(iq);
  if (!reply) throw std::runtime_error("no answer to the archive query " + query_id);
  Page page;
  if (reply->attr_or("type") != "result") {
    page.error = stanza_error_condition(*reply);
    return page;
  }
  const XmlNode* fin = reply->child("fin", kMam);
  if (fin == nullptr) throw std::runtime_error("no <fin/>: " + reply->to_string());
  page.complete = fin->attr_or("complete") == "true";
  if (const XmlNode* rsm = fin->child("set", kRsm)) {
    page.first = rsm->child_text("first", kRsm);
    page.last = rsm->child_text("last", kRsm);
  }
  // The results were sent before the IQ result on the same stream: already queued.
  auto is_result = [&query_id](const XmlNode& s) {
    const XmlNode* r = s.child("result", kMam);
    return s.name() == "message" && r != nullptr && r->attr_or("queryid") == query_id;
  };
  while (auto message = client.wait_for(is_result, std::chrono::milliseconds(0))) {
    const XmlNode* result = message->child("result", kMam);
    const XmlNode* forwarded = result->child("forwarded", "urn:xmpp:forward:0");
    const XmlNode* inner = forwarded ? forwarded->child("message") : nullptr;
    if (inner == nullptr || forwarded->child("delay", "urn:xmpp:delay") == nullptr) {
      throw std::runtime_error("malformed archive result: " + message->to_string());
    }
    page.ids.push_back(result->attr_or("id"));
    page.bodies.push_back(inner->child_text("body"));
  }
  return page;
}

std::string body_of(int i) {
  std::string n = std::to_string(i);
  return "archived " + std::string(3 - n.size(), '0') + n;
}

// The features disco#info lists for `jid` (XEP-0030), or nothing when the query failed.
std::set<std::string> disco_features(StropheClient& client, const std::string& jid) {
  XmlNode disco("iq");
  disco.set("type", "get")
      .set("to", jid)
      .append(XmlNode("query", "http://jabber.org/protocol/disco#info"));
  std::set<std::string> features;
  auto info = client.iq(disco);
  if (!info || info->attr_or("type") != "result") return features;
  if (const XmlNode* q = info->child("query", "http://jabber.org/protocol/disco#info")) {
    for (const auto& f : q->children()) {
      if (f.name() == "feature") features.insert(f.attr_or("var"));
    }
  }
  return features;
}

class MamUserArchiveTest : public DaemonSuite<MamUserArchiveTest> {};

TEST_F(MamUserArchiveTest, PagesThroughHundredsOfMessagesInOrder) {
  constexpr int kMessages = 300;
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  const Account carol = daemon().new_account("carol");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  auto c = online(daemon(), carol);

  // Carol's message first, waited for: two connections are not ordered with each other.
  c->send(chat(alice.jid, "from carol"));
  expect(*a, message_with_body("from carol"), "carol's message");
  for (int i = 0; i < kMessages; ++i) a->send(chat(bob.jid, body_of(i)));
  // Bob's deliveries carry the stanza ids (XEP-0359) the archive must use.
  std::vector<std::string> delivered_ids;
  for (int i = 0; i < kMessages; ++i) {
    const XmlNode m = expect(*b, message_with_body(body_of(i)), body_of(i));
    const XmlNode* sid = m.child("stanza-id", "urn:xmpp:sid:0");
    ASSERT_NE(sid, nullptr) << m.to_string();
    delivered_ids.push_back(sid->attr_or("id"));
  }
  EXPECT_EQ(std::set<std::string>(delivered_ids.begin(), delivered_ids.end()).size(),
            static_cast<std::size_t>(kMessages))
      << "stanza ids are not unique";

  // Bob pages forward through his whole archive, 40 at a time.
  std::vector<std::string> ids;
  std::vector<std::string> bodies;
  std::string after;
  int pages = 0;
  for (;;) {
    Page page = query(*b, "fwd" + std::to_string(pages), 40, after);
    ASSERT_TRUE(page.error.empty()) << page.error;
    ++pages;
    ASSERT_LE(page.ids.size(), 40u);
    if (!page.ids.empty()) {
      EXPECT_EQ(page.first, page.ids.front());
      EXPECT_EQ(page.last, page.ids.back());
    }
    ids.insert(ids.end(), page.ids.begin(), page.ids.end());
    bodies.insert(bodies.end(), page.bodies.begin(), page.bodies.end());
    if (page.complete) break;
    ASSERT_FALSE(page.ids.empty());
    after = page.last;
    ASSERT_LT(pages, 20) << "paging does not end";
  }
  EXPECT_EQ(pages, 8);  // 7 * 40 = 280, then 20
  ASSERT_EQ(bodies.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(bodies[i], body_of(i));
  EXPECT_EQ(ids, delivered_ids);  // the archive id is the delivered stanza id

  // The same again gives the same ids (stable).
  Page again = query(*b, "again", 5);
  ASSERT_EQ(again.ids.size(), 5u);
  EXPECT_EQ(again.ids, std::vector<std::string>(delivered_ids.begin(), delivered_ids.begin() + 5));

  // <before/>: the last page; then the page before it.
  Page last = query(*b, "last", 25, {}, {}, true);
  EXPECT_EQ(std::vector<std::string>(bodies.end() - 25, bodies.end()), last.bodies);
  EXPECT_FALSE(last.complete);
  Page previous = query(*b, "prev", 25, {}, last.first);
  EXPECT_EQ(std::vector<std::string>(bodies.end() - 50, bodies.end() - 25), previous.bodies);

  // Alice's archive holds her sent messages and carol's; 'with' narrows it to carol.
  Page with_carol = query(*a, "carol", 50, {}, {}, false, carol.jid);
  EXPECT_EQ(with_carol.bodies, std::vector<std::string>{"from carol"});
  EXPECT_TRUE(with_carol.complete);
  Page alice_first = query(*a, "alice", 3);
  EXPECT_EQ(alice_first.bodies, (std::vector<std::string>{"from carol", body_of(0), body_of(1)}));
  ASSERT_EQ(alice_first.ids.size(), 3u);
  EXPECT_EQ(alice_first.ids[1], delivered_ids[0]);  // the same id in both parties' archives
  EXPECT_EQ(alice_first.ids[2], delivered_ids[1]);
  // Carol never sees bob's messages.
  Page carol_page = query(*c, "mine", 50);
  EXPECT_EQ(carol_page.bodies, std::vector<std::string>{"from carol"});

  // XEP-0059 §2.6: paging from an id that is not in the archive.
  Page unknown = query(*b, "unknown", 10, "no-such-id");
  EXPECT_EQ(unknown.error, "item-not-found");
}

TEST_F(MamUserArchiveTest, AccountAdvertisesMamAndTheForm) {
  const Account alice = daemon().new_account("alice");
  auto a = online(daemon(), alice);
  EXPECT_EQ(disco_features(*a, alice.jid).count(kMam), 1u);

  XmlNode form_request("iq");
  form_request.set("type", "get").append(XmlNode("query", kMam));
  auto form = a->iq(form_request);
  ASSERT_TRUE(form);
  const XmlNode* q = form->child("query", kMam);
  ASSERT_NE(q, nullptr) << form->to_string();
  EXPECT_NE(q->child("x", "jabber:x:data"), nullptr) << form->to_string();
}

TEST_F(MamUserArchiveTest, OfflineMessagesAreArchived) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  a->send(chat(bob.jid, "stored for later"));
  ASSERT_TRUE(a->iq(roster_get()));  // routed (and stored) before the query
  auto b = login(daemon(), bob, {.resource = "home", .stream_management = false});
  Page page = query(*b, "offline", 10);  // before initial presence: nothing delivered yet
  EXPECT_EQ(page.bodies, std::vector<std::string>{"stored for later"});
}

// archive.enabled false: the server keeps no user archives and says so.
class MamArchiveOffTest : public DaemonSuite<MamArchiveOffTest> {
 public:
  static nlohmann::json daemon_config() { return {{"archive", {{"enabled", false}}}}; }
};

TEST_F(MamArchiveOffTest, NothingIsOfferedAndAQueryIsServiceUnavailable) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);

  const auto features = disco_features(*a, alice.jid);
  EXPECT_EQ(features.count("vcard-temp"), 1u) << "the other account features stay";
  EXPECT_EQ(features.count(kMam), 0u);

  // Messages still flow, with their XEP-0359 ids; only the archive is missing.
  a->send(chat(bob.jid, "not archived"));
  const XmlNode delivered = expect(*b, message_with_body("not archived"), "the message");
  EXPECT_NE(delivered.child("stanza-id", "urn:xmpp:sid:0"), nullptr) << delivered.to_string();
  Page page = query(*b, "off", 10);
  EXPECT_EQ(page.error, "service-unavailable");
  XmlNode form_request("iq");
  form_request.set("type", "get").append(XmlNode("query", kMam));
  auto form = a->iq(form_request);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->attr_or("type"), "error") << form->to_string();
  EXPECT_EQ(stanza_error_condition(*form), "service-unavailable");
}

// The archive's backlog: from archive.max_pending / 2 rows waiting for the database the
// sessions stop reading their clients until the store took the batch (backpressure), so the
// senders slow down to what the database writes and nothing is dropped; GET /api/v1/health
// counts what would still be dropped past max_pending. commit_delay_ms holds the rows pending
// for a second, so the watermark (20 rows: 10 messages) is reached long before the commit.
class MamArchiveBacklogTest : public DaemonSuite<MamArchiveBacklogTest> {
 public:
  static constexpr const char* kToken = "it-admin-token-0123456789";
  static nlohmann::json daemon_config() {
    return {{"archive", {{"max_pending", 40}, {"commit_delay_ms", 1000}}},
            {"admin",
             {{"http",
               {{"enabled", true}, {"address", "127.0.0.1"}, {"port", 0}, {"token", kToken}}}}}};
  }
  static std::uint64_t archive_dropped() {
    const auto reply = http_get(daemon().admin_http_port(), "/api/v1/health", kToken);
    if (reply.status != 200) throw std::runtime_error("health: " + reply.body);
    return nlohmann::json::parse(reply.body).at("archive_dropped").get<std::uint64_t>();
  }
};

TEST_F(MamArchiveBacklogTest, SendersWaitForTheDatabaseInsteadOfLosingArchiveRows) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);
  auto b = online(daemon(), bob);
  // 30 messages make 60 rows, more than max_pending, within the commit delay: without the
  // backpressure the last ten would be dropped from both archives.
  constexpr int kMessages = 30;
  for (int i = 0; i < kMessages; ++i) {
    a->send(chat(bob.jid, body_of(i)));
    expect(*b, message_with_body(body_of(i)), "delivery of " + body_of(i));
  }
  EXPECT_EQ(archive_dropped(), 0u);
  for (StropheClient* client : {a.get(), b.get()}) {
    Page page = query(*client, "all", 50);
    ASSERT_TRUE(page.error.empty()) << page.error;
    ASSERT_EQ(page.bodies.size(), static_cast<std::size_t>(kMessages));
    for (int i = 0; i < kMessages; ++i) EXPECT_EQ(page.bodies[i], body_of(i));
  }
}

}  // namespace
}  // namespace parley::it
