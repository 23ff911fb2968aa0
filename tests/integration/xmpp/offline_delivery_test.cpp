// A message to an account with no available resource is stored (RFC 6121 §8.5.2.2.1) and
// delivered when the account next sends initial presence with a non-negative priority, marked
// with XEP-0203 <delay/> whose stamp is the time the server received it.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

using SystemClock = std::chrono::system_clock;

// XEP-0082 DateTime, UTC: CCYY-MM-DDThh:mm:ss[.sss]Z
std::optional<SystemClock::time_point> parse_stamp(const std::string& stamp) {
  static const std::regex format(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z)");
  std::smatch m;
  if (!std::regex_match(stamp, m, format)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  auto point = SystemClock::from_time_t(::timegm(&tm));
  if (m[7].matched) {
    point += std::chrono::duration_cast<SystemClock::duration>(
        std::chrono::duration<double>(std::stod("0" + m[7].str())));
  }
  return point;
}

class OfflineDeliveryTest : public DaemonSuite<OfflineDeliveryTest> {};

TEST_F(OfflineDeliveryTest, StoredMessageArrivesAtLoginWithDelayStamp) {
  const Account alice = daemon().new_account("alice");
  const Account bob = daemon().new_account("bob");
  auto a = online(daemon(), alice);

  const auto before = SystemClock::now();
  a->send(chat(bob.jid, "while you were away"));
  a->send(chat(bob.jid, "second note"));
  // An IQ round trip after the messages: the server has read and routed them.
  ASSERT_TRUE(a->iq(roster_get()));
  const auto after = SystemClock::now();

  // Bob logs in; nothing is delivered before his initial presence (RFC 6121 §8.5.2.2.1
  // delivers stored messages to an available resource)...
  // Without XEP-0198 for this session: libstrophe never acks before leaving, and unacked
  // stanzas of a closed SM session are stored again (XEP-0198 §5) — a different behaviour.
  auto b = login(daemon(), bob, {.resource = "home", .stream_management = false});
  ASSERT_TRUE(b->iq(roster_get()));
  b->send(presence());
  const XmlNode first = expect(*b, message_with_body("while you were away"), "the stored message");
  const XmlNode second = expect(*b, message_with_body("second note"), "the second stored message");

  EXPECT_EQ(bare_of(first.attr_or("from")), alice.jid);
  const XmlNode* delay = first.child("delay", "urn:xmpp:delay");
  ASSERT_NE(delay, nullptr) << first.to_string();
  const auto stamp = parse_stamp(delay->attr_or("stamp"));
  ASSERT_TRUE(stamp) << "stamp not in XEP-0082 format: " << delay->to_string();
  // Whole seconds are allowed by XEP-0082; widen the window by one second each way.
  EXPECT_GE(*stamp, before - std::chrono::seconds(1)) << delay->to_string();
  EXPECT_LE(*stamp, after + std::chrono::seconds(1)) << delay->to_string();
  EXPECT_NE(second.child("delay", "urn:xmpp:delay"), nullptr) << second.to_string();

  // Delivered once: a second login does not get them again.
  b->disconnect();
  auto b2 = login(daemon(), bob, {.resource = "again"});
  ASSERT_TRUE(b2->iq(roster_get()));
  b2->send(presence());
  a->send(chat(bob.jid, "barrier"));
  expect(*b2, message_with_body("barrier"), "a live message");
  EXPECT_FALSE(b2->wait_for(message_with_body("while you were away"), std::chrono::milliseconds(0)))
      << "the stored message was delivered twice";
}

}  // namespace
}  // namespace parley::it
