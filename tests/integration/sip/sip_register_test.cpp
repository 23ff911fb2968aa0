// REGISTER with digest authentication (RFC 3261 §10, §22; RFC 7616/8760 algorithms) against the
// same accounts XMPP uses: a challenge first, wrong credentials refused, bindings with expiry,
// several devices per account, un-REGISTER, over UDP and TCP.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"

namespace parley::it {
namespace {

class SipRegisterTest : public DaemonSuite<SipRegisterTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

// The contacts of a 200 answer to REGISTER (RFC 3261 §10.3 step 8: all current bindings).
std::vector<std::string> bound_contacts(const SipMsg& ok) {
  return ok.headers_named("Contact");
}

TEST_F(SipRegisterTest, ChallengeThenDigestRegistersBinding) {
  const Account alice = daemon().new_account("alice");
  SipClientOptions no_password = sip_options(daemon(), alice);
  no_password.password.clear();
  SipClient client(no_password);

  // RFC 3261 §22.4: a registrar challenges with 401 and WWW-Authenticate.
  SipMsg reg = client.request("REGISTER", "sip:" + daemon().domain(), client.aor());
  reg.set("Expires", "120");
  SipMsg challenge = expect_response(client, reg, "REGISTER without credentials");
  ASSERT_EQ(challenge.status, 401) << challenge.summary();
  std::vector<std::string> offers = challenge.headers_named("WWW-Authenticate");
  ASSERT_FALSE(offers.empty());
  bool md5 = false, sha256 = false;
  for (const auto& offer : offers) {
    EXPECT_EQ(offer.rfind("Digest ", 0), 0u) << offer;
    EXPECT_FALSE(auth_param(offer, "realm").empty()) << offer;
    EXPECT_FALSE(auth_param(offer, "nonce").empty()) << offer;
    const std::string algorithm = auth_param(offer, "algorithm");
    md5 = md5 || algorithm.empty() || algorithm == "MD5";
    sha256 = sha256 || algorithm == "SHA-256";
  }
  EXPECT_TRUE(md5) << "RFC 8760: MD5 stays offered for old clients";
  EXPECT_TRUE(sha256) << "RFC 8760: SHA-256 offered";

  // With credentials (SHA-256 preferred by our client), the binding is created.
  for (const std::string algorithm : {"SHA-256", "MD5"}) {
    SipClientOptions options = sip_options(daemon(), alice);
    options.prefer_algorithm = algorithm;
    SipClient device(options);
    auto ok = device.register_contact(120);
    ASSERT_TRUE(ok) << algorithm;
    ASSERT_EQ(ok->status, 200) << algorithm << ": " << ok->summary();
    bool found = false;
    for (const auto& c : bound_contacts(*ok)) {
      if (c.find(":" + std::to_string(device.local_port())) != std::string::npos) {
        found = true;
        const std::string expires = header_param(c, "expires");
        ASSERT_FALSE(expires.empty()) << c;
        EXPECT_GT(std::stoi(expires), 0) << c;
        EXPECT_LE(std::stoi(expires), 120) << c;
      }
    }
    EXPECT_TRUE(found) << algorithm << ": our contact is not among the bindings\n"
                       << ok->serialize();
  }
}

TEST_F(SipRegisterTest, WrongPasswordIsRefused) {
  const Account alice = daemon().new_account("alice");
  SipClientOptions options = sip_options(daemon(), alice);
  options.password = "not-the-password";
  SipClient client(options);
  auto response = client.register_contact(60);
  ASSERT_TRUE(response);
  // Another challenge (stale credentials are re-challenged) or 403: never 200.
  EXPECT_TRUE(response->status == 401 || response->status == 403) << response->summary();
}

TEST_F(SipRegisterTest, UnknownAccountGetsNoBinding) {
  Account ghost{"ghost-nobody@" + daemon().domain(), "whatever"};
  SipClient client(sip_options(daemon(), ghost));
  auto response = client.register_contact(60);
  ASSERT_TRUE(response);
  // Same answer as a wrong password (no account enumeration), or 404 (RFC 3261 §10.3 step 3).
  EXPECT_TRUE(response->status == 401 || response->status == 403 || response->status == 404)
      << response->summary();
}

TEST_F(SipRegisterTest, SeveralDevicesThenUnregisterOne) {
  const Account bob = daemon().new_account("bob");
  auto phone =
      sip_registered(daemon(), bob, SipTransport::udp, "11111111-1111-1111-1111-111111111111");
  auto desk =
      sip_registered(daemon(), bob, SipTransport::tcp, "22222222-2222-2222-2222-222222222222");

  // A fetch (REGISTER without Contact, RFC 3261 §10.2.3) lists both bindings.
  SipMsg fetch = phone->request("REGISTER", "sip:" + daemon().domain(), phone->aor());
  fetch.remove("Contact");
  SipMsg listed = expect_response(*phone, fetch, "REGISTER fetch");
  ASSERT_EQ(listed.status, 200) << listed.summary();
  EXPECT_EQ(bound_contacts(listed).size(), 2u) << listed.serialize();

  // Un-REGISTER the phone (Expires: 0): only the desk binding is left.
  auto gone = phone->register_contact(0, "11111111-1111-1111-1111-111111111111");
  ASSERT_TRUE(gone);
  ASSERT_EQ(gone->status, 200) << gone->summary();
  std::vector<std::string> left = bound_contacts(*gone);
  ASSERT_EQ(left.size(), 1u) << gone->serialize();
  EXPECT_NE(left[0].find(std::to_string(desk->local_port())), std::string::npos) << left[0];
}

TEST_F(SipRegisterTest, WildcardUnregisterRemovesAll) {
  const Account carol = daemon().new_account("carol");
  auto a = sip_registered(daemon(), carol);
  auto b = sip_registered(daemon(), carol);
  // RFC 3261 §10.2.2: "Contact: *" with Expires: 0 removes every binding.
  SipMsg all = a->request("REGISTER", "sip:" + daemon().domain(), a->aor());
  all.set("Contact", "*");
  all.set("Expires", "0");
  SipMsg ok = expect_response(*a, all, "REGISTER Contact: *");
  ASSERT_EQ(ok.status, 200) << ok.summary();
  EXPECT_TRUE(bound_contacts(ok).empty()) << ok.serialize();
}

TEST_F(SipRegisterTest, TooShortExpiryGets423) {
  const Account dave = daemon().new_account("dave");
  SipClient client(sip_options(daemon(), dave));
  // RFC 3261 §10.3 step 7: an expiry shorter than the registrar's minimum gets 423 with
  // Min-Expires. 1 second is below any sensible minimum.
  auto response = client.register_contact(1);
  ASSERT_TRUE(response);
  if (response->status == 423) {
    EXPECT_FALSE(response->header("Min-Expires").empty()) << response->serialize();
  } else {
    // A registrar may also raise the expiry itself; then the binding says how long.
    ASSERT_EQ(response->status, 200) << response->summary();
  }
}

}  // namespace
}  // namespace parley::it
