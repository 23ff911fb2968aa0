#include "mapping/sip/address.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

using parley::sip::SipUri;

SipUri uri(std::string scheme, std::string user, std::string host, std::uint16_t port = 0) {
  SipUri u;
  u.scheme = std::move(scheme);
  u.user = std::move(user);
  u.host = std::move(host);
  u.port = port;
  return u;
}

const SipDomains kDomains{{"example.com", "corp.example"}, {"127.0.0.1", "[::1]", "pbx.local"}};

struct FromUriCase {
  SipUri in;
  std::string expected;  // "" = failure
};

TEST(SipAddress, FromUriTable) {
  const FromUriCase cases[] = {
      {uri("sip", "alice", "example.com"), "alice@example.com"},
      {uri("sips", "Alice", "EXAMPLE.com", 5061), "alice@example.com"},
      {uri("SIP", "bob", "corp.example"), "bob@corp.example"},
      {uri("sip", "alice", "127.0.0.1", 5070), "alice@example.com"},
      {uri("sip", "alice", "[::1]"), "alice@example.com"},
      {uri("sip", "alice", "PBX.LOCAL"), "alice@example.com"},
      {uri("sip", "carol", "other.org"), "carol@other.org"},
      {uri("sip", "", "example.com"), ""},
      {uri("tel", "+15551234", "example.com"), ""},
      {uri("sip", "a@b", "example.com"), ""},
      {uri("sip", "alice", ""), ""},
  };
  for (const auto& c : cases) {
    auto got = address_from_sip_uri(c.in, kDomains);
    SCOPED_TRACE(c.in.scheme + ":" + c.in.user + "@" + c.in.host);
    if (c.expected.empty()) {
      EXPECT_FALSE(got.ok());
    } else {
      ASSERT_TRUE(got.ok()) << got.error();
      EXPECT_EQ(got->to_string(), c.expected);
      EXPECT_TRUE(got->is_bare());
    }
  }
}

TEST(SipAddress, AliasWithoutLocalDomainIsKeptAsHost) {
  SipDomains none{{}, {"127.0.0.1"}};
  auto got = address_from_sip_uri(uri("sip", "alice", "127.0.0.1"), none);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->domain(), "127.0.0.1");
}

TEST(SipAddress, IsLocalHost) {
  EXPECT_TRUE(is_local_host("Example.COM", kDomains));
  EXPECT_TRUE(is_local_host("127.0.0.1", kDomains));
  EXPECT_TRUE(is_local_host("::1", kDomains));
  EXPECT_TRUE(is_local_host("[::1]", kDomains));
  EXPECT_FALSE(is_local_host("other.org", kDomains));
  EXPECT_FALSE(is_local_host("", kDomains));
}

TEST(SipAddress, ToUriDropsResource) {
  auto a = model::Address::parse("alice@example.com/sip-0011223344556677").value();
  SipUri u = sip_uri_from_address(a);
  EXPECT_EQ(u.scheme, "sip");
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_EQ(u.port, 0);
  EXPECT_TRUE(u.params.empty());
}

TEST(SipAddress, RoundTrip) {
  for (const char* text : {"alice@example.com", "bob.smith@corp.example", "x_y-z@other.org"}) {
    auto a = model::Address::parse(text).value();
    auto back = address_from_sip_uri(sip_uri_from_address(a), kDomains);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value(), a);
  }
}

TEST(SipAddress, DeviceResourceIsStableValidAndDistinct) {
  std::string a = device_resource("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  std::string b = device_resource("<urn:uuid:00000000-0000-1000-8000-000A95A0E129>");
  EXPECT_EQ(a, device_resource("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 4u + 16u);
  EXPECT_EQ(a.rfind("sip-", 0), 0u);
  auto full = model::Address::parse("alice@example.com").value().with_resource(a);
  EXPECT_TRUE(full.ok());
  // Known value: FNV-1a 64 of the empty key is its offset basis.
  EXPECT_EQ(device_resource(""), "sip-cbf29ce484222325");
}

}  // namespace
}  // namespace parley::mapping::sip
