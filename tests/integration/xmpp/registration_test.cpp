// In-band registration (XEP-0077): with xmpp.registration.enabled a new client registers over
// TLS before authenticating (§3.1), a taken username is a <conflict/>, and a logged-in user can
// change the password (§3.3). With registration disabled (the default) nothing is offered and
// no account comes into being.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

constexpr std::string_view kNsRegister = "jabber:iq:register";
constexpr std::string_view kNsRegisterFeature = "http://jabber.org/features/iq-register";

XmlNode register_get() {
  XmlNode iq("iq");
  iq.set("type", "get").append(XmlNode("query", std::string(kNsRegister)));
  return iq;
}

XmlNode register_set(const std::string& username, const std::string& password) {
  XmlNode query("query", std::string(kNsRegister));
  query.append(XmlNode("username", std::string(kNsRegister)).set_text(username))
      .append(XmlNode("password", std::string(kNsRegister)).set_text(password));
  XmlNode iq("iq");
  iq.set("type", "set").append(std::move(query));
  return iq;
}

bool can_login(ParleydProcess& daemon, const std::string& jid, const std::string& password) {
  StropheClient client(
      StropheOptions{.jid = jid + "/check", .password = password, .port = daemon.c2s_port()});
  return client.connect();
}

class RegistrationEnabledTest : public DaemonSuite<RegistrationEnabledTest> {
 public:
  static nlohmann::json daemon_config() {
    return {{"xmpp",
             {{"registration", {{"enabled", true}, {"password_change", true}}},
              {"auth_throttle", {{"failures_per_ip", 1000}}}}}};
  }
};

TEST_F(RegistrationEnabledTest, NewAccountRegistersThenLogsIn) {
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  const XmlNode features = raw.starttls();
  // XEP-0077 §4: the stream feature advertises registration.
  EXPECT_NE(features.child("register", kNsRegisterFeature), nullptr) << features.to_string();

  const XmlNode form = raw.iq(register_get());
  ASSERT_EQ(form.attr_or("type"), "result") << form.to_string();
  const XmlNode* query = form.child("query", kNsRegister);
  ASSERT_NE(query, nullptr) << form.to_string();
  EXPECT_NE(query->child("username"), nullptr) << form.to_string();
  EXPECT_NE(query->child("password"), nullptr) << form.to_string();

  const XmlNode done = raw.iq(register_set("newbie", "fresh-pass-1"));
  EXPECT_EQ(done.attr_or("type"), "result") << done.to_string();

  // §3.1: the same username again is a conflict.
  RawClient again(daemon().c2s_port(), Transport::plain);
  again.open_stream();
  again.starttls();
  const XmlNode taken = again.iq(register_set("newbie", "other"));
  EXPECT_EQ(taken.attr_or("type"), "error") << taken.to_string();
  EXPECT_EQ(stanza_error_condition(taken), "conflict") << taken.to_string();

  const std::string jid = "newbie@" + daemon().domain();
  EXPECT_TRUE(can_login(daemon(), jid, "fresh-pass-1"));
  EXPECT_FALSE(can_login(daemon(), jid, "other"));
}

TEST_F(RegistrationEnabledTest, LoggedInUserChangesPassword) {
  const Account alice = daemon().new_account("alice");
  auto client = login(daemon(), alice);
  // XEP-0077 §3.3
  XmlNode change = register_set(alice.local(), "changed-pass-2");
  change.set("to", daemon().domain());
  auto reply = client->iq(change);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->attr_or("type"), "result") << reply->to_string();
  client->disconnect();
  EXPECT_TRUE(can_login(daemon(), alice.jid, "changed-pass-2"));
  EXPECT_FALSE(can_login(daemon(), alice.jid, alice.password));
}

class RegistrationDisabledTest : public DaemonSuite<RegistrationDisabledTest> {
 public:
  static nlohmann::json daemon_config() {
    return {{"xmpp", {{"registration", {{"enabled", false}}}}}};
  }
};

TEST_F(RegistrationDisabledTest, NothingOfferedAndNoAccountCreated) {
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.open_stream();
  const XmlNode features = raw.starttls();
  EXPECT_EQ(features.child("register", kNsRegisterFeature), nullptr) << features.to_string();

  raw.send(register_set("intruder", "let-me-in").set("id", "reg-1"));
  // Either a stanza error (XEP-0077 §3.1: service-unavailable / not-allowed) or the stream is
  // closed as for any stanza before authentication (RFC 6120 §4.9.3.12). Never a result.
  auto reply =
      raw.next_matching([](const XmlNode& n) { return n.name() == "iq"; }, std::chrono::seconds(5));
  if (reply) {
    EXPECT_EQ(reply->attr_or("type"), "error") << reply->to_string();
    const std::string condition = stanza_error_condition(*reply);
    EXPECT_TRUE(condition == "service-unavailable" || condition == "not-allowed" ||
                condition == "forbidden")
        << reply->to_string();
  } else {
    EXPECT_TRUE(raw.reader().closed() || raw.wait_connection_closed())
        << "neither an IQ error nor a closed stream";
  }
  EXPECT_FALSE(can_login(daemon(), "intruder@" + daemon().domain(), "let-me-in"));
}

}  // namespace
}  // namespace parley::it
