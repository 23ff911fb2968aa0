#include "mapping/model/address.hpp"

#include <gtest/gtest.h>
#include <stringprep.h>

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_set>

namespace parley::model {
namespace {

struct GoodCase {
  std::string input;
  std::string local;
  std::string domain;
  std::string resource;
};

class AddressParseGood : public ::testing::TestWithParam<GoodCase> {};

TEST_P(AddressParseGood, SplitsAndNormalises) {
  const auto& c = GetParam();
  auto a = Address::parse(c.input);
  ASSERT_TRUE(a.ok()) << c.input << ": " << a.error();
  EXPECT_EQ(a->local(), c.local);
  EXPECT_EQ(a->domain(), c.domain);
  EXPECT_EQ(a->resource(), c.resource);
  // The normalised form parses to itself.
  auto again = Address::parse(a->to_string());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(*again, *a);
}

INSTANTIATE_TEST_SUITE_P(
    Table, AddressParseGood,
    ::testing::Values(
        GoodCase{"example.com", "", "example.com", ""},
        GoodCase{"juliet@example.com", "juliet", "example.com", ""},
        GoodCase{"juliet@example.com/balcony", "juliet", "example.com", "balcony"},
        GoodCase{"example.com/resource", "", "example.com", "resource"},
        // Case folding: local part (nodeprep) and domain (nameprep); resource keeps case.
        GoodCase{"JuLiEt@ExAmPlE.CoM/BalCony", "juliet", "example.com", "BalCony"},
        // The resource starts at the first '/', and may hold '@' and '/'.
        GoodCase{"juliet@example.com/foo@bar/baz", "juliet", "example.com", "foo@bar/baz"},
        GoodCase{"example.com/a/b", "", "example.com", "a/b"},
        GoodCase{"juliet@example.com/ with spaces ", "juliet", "example.com", " with spaces "},
        // One trailing dot is stripped (RFC 7622 §3.2).
        GoodCase{"juliet@example.com.", "juliet", "example.com", ""},
        // IDN domain (nameprep) and Unicode local part.
        GoodCase{"\xC3\x9C"
                 "ser@M\xC3\x9C"
                 "NCHEN.de",
                 "\xC3\xBC"
                 "ser",
                 "m\xC3\xBC"
                 "nchen.de",
                 ""},
        // Ideographic full stop is a label separator.
        GoodCase{"a@example\xE3\x80\x82"
                 "com",
                 "a", "example.com", ""},
        // Sharp s case-folds to "ss" under nodeprep (B.2 mapping).
        GoodCase{"stra\xC3\x9F"
                 "e@example.com",
                 "strasse", "example.com", ""},
        GoodCase{"user@127.0.0.1", "user", "127.0.0.1", ""},
        GoodCase{"user@[::1]/r", "user", "[::1]", "r"},
        GoodCase{"user@[2001:DB8:0:0:0:0:0:1]", "user", "[2001:db8::1]", ""},
        GoodCase{"under_score@my-host.example", "under_score", "my-host.example", ""}));

struct BadCase {
  std::string input;
  std::string error;  // substring expected in the message
};

class AddressParseBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(AddressParseBad, Rejects) {
  const auto& c = GetParam();
  auto a = Address::parse(c.input);
  ASSERT_FALSE(a.ok()) << c.input << " parsed as " << a->to_string();
  EXPECT_NE(a.error().find(c.error), std::string::npos) << c.input << ": " << a.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, AddressParseBad,
    ::testing::Values(
        BadCase{"", "domainpart is empty"}, BadCase{"@example.com", "localpart is empty"},
        BadCase{"juliet@", "domainpart is empty"},
        BadCase{"juliet@example.com/", "resourcepart is empty"},
        BadCase{"/res", "domainpart is empty"},
        BadCase{"a@b@example.com", "localpart contains forbidden character '@'"},
        BadCase{"jul\"iet@example.com", "localpart contains forbidden character '\"'"},
        BadCase{"jul&iet@example.com", "forbidden character '&'"},
        BadCase{"jul'iet@example.com", "forbidden character '''"},
        BadCase{"jul:iet@example.com", "forbidden character ':'"},
        BadCase{"jul<iet@example.com", "forbidden character '<'"},
        BadCase{"jul>iet@example.com", "forbidden character '>'"},
        BadCase{"jul iet@example.com", "localpart contains forbidden character space"},
        // U+3000 ideographic space: prohibited by the nodeprep tables.
        BadCase{"a\xE3\x80\x80"
                "b@example.com",
                "localpart contains a prohibited character"},
        BadCase{"juliet@exa mple.com", "domainpart contains forbidden character space"},
        BadCase{"juliet@example..com", "domainpart has an empty label"},
        BadCase{"juliet@.example.com", "domainpart has an empty label"},
        BadCase{"juliet@example.com..", "domainpart has an empty label"},
        BadCase{"juliet@.", "domainpart is empty"},
        BadCase{"juliet@-bad.example", "starts or ends with '-'"},
        BadCase{"juliet@[::1", "unterminated IPv6"},
        BadCase{"juliet@[not:v6::x]", "not a valid IPv6"},
        BadCase{"juliet@300.1.1.1", "not a valid IPv4"},
        BadCase{"\xFF@example.com", "localpart is not valid UTF-8"},
        BadCase{"juliet@example.com/\x01", "resourcepart contains a prohibited"}));

// libidn's answer for one part, or nullopt when the profile refuses it.
std::optional<std::string> libidn_prepared(const std::string& in,
                                           const Stringprep_profile* profile) {
  std::array<char, 1024> buf{};
  in.copy(buf.data(), in.size());
  if (stringprep(buf.data(), buf.size(), static_cast<Stringprep_profile_flags>(0), profile) !=
      STRINGPREP_OK) {
    return std::nullopt;
  }
  return std::string(buf.data());
}

// Printable ASCII parts skip libidn (address.cpp): for every such character in every part the
// result must be what the stringprep profile gives (or a refusal where it refuses).
TEST(Address, PrintableAsciiMatchesTheStringprepProfiles) {
  for (char c = 0x20; c <= 0x7E; ++c) {
    const std::string part = std::string("Ab") + c + "Z";
    const bool local_forbidden = std::string("\"&'/:<>@ ").find(c) != std::string::npos;
    auto local = Address::from_parts(part, "example.com");
    auto expected_local = libidn_prepared(part, stringprep_xmpp_nodeprep);
    if (local_forbidden || !expected_local) {
      EXPECT_FALSE(local.ok()) << part;
    } else {
      ASSERT_TRUE(local.ok()) << part << ": " << local.error();
      EXPECT_EQ(local->local(), *expected_local) << part;
    }
    auto resource = Address::from_parts("a", "example.com", part);
    auto expected_resource = libidn_prepared(part, stringprep_xmpp_resourceprep);
    ASSERT_EQ(resource.ok(), expected_resource.has_value()) << part;
    if (resource.ok()) {
      EXPECT_EQ(resource->resource(), *expected_resource) << part;
    }
    // Domains: Nameprep, then only letters, digits, '-', '_' and dots survive.
    const std::string label = std::string("Ex") + c + "ample";
    auto domain = Address::from_parts("a", label + ".ORG");
    auto expected_domain = libidn_prepared(label + ".ORG", stringprep_nameprep);
    const bool label_char =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (expected_domain && label_char) {
      ASSERT_TRUE(domain.ok()) << label << ": " << domain.error();
      EXPECT_EQ(domain->domain(), *expected_domain) << label;
    } else {
      EXPECT_FALSE(domain.ok()) << label;
    }
  }
}

TEST(Address, LengthLimits) {
  const std::string ok_local(1023, 'a');
  const std::string long_local(1024, 'a');
  EXPECT_TRUE(Address::parse(ok_local + "@example.com").ok());
  auto bad = Address::parse(long_local + "@example.com");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "localpart exceeds 1023 bytes");

  const std::string ok_res(1023, 'r');
  EXPECT_TRUE(Address::parse("example.com/" + ok_res).ok());
  auto bad_res = Address::parse("example.com/" + ok_res + "r");
  ASSERT_FALSE(bad_res.ok());
  EXPECT_NE(bad_res.error().find("resourcepart exceeds 1023 bytes"), std::string::npos);

  // Domain: many short labels up to the byte limit.
  std::string domain;
  while (domain.size() + 4 <= 1023) domain += "abc.";
  domain += "x";
  auto long_domain = Address::parse(domain + std::string(1024 - domain.size(), 'y'));
  ASSERT_FALSE(long_domain.ok());
  EXPECT_NE(long_domain.error().find("domainpart exceeds 1023 bytes"), std::string::npos);
  EXPECT_TRUE(Address::parse(domain).ok());

  auto long_label = Address::parse(std::string(64, 'l') + ".example");
  ASSERT_FALSE(long_label.ok());
  EXPECT_NE(long_label.error().find("exceeds 63 bytes"), std::string::npos);

  // A preparation that grows the text past the limit: U+0130 (2 bytes) case-folds to
  // "i" + U+0307 (3 bytes), so 1023 raw bytes become 1024 prepared bytes.
  const std::string dotted_i = "\xC4\xB0";
  EXPECT_TRUE(Address::parse(std::string(1020, 'a') + dotted_i + "@example.com").ok());
  auto grown = Address::parse(std::string(1021, 'a') + dotted_i + "@example.com");
  ASSERT_FALSE(grown.ok());
  EXPECT_EQ(grown.error(), "localpart exceeds 1023 bytes after preparation");
}

TEST(Address, FromPartsPreparesEachPart) {
  auto a = Address::from_parts("Romeo", "Example.NET", "Orchard");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->to_string(), "romeo@example.net/Orchard");
  EXPECT_EQ(a->bare_string(), "romeo@example.net");

  auto domain_only = Address::from_parts("", "example.net");
  ASSERT_TRUE(domain_only.ok());
  EXPECT_EQ(domain_only->to_string(), "example.net");
  EXPECT_TRUE(domain_only->local().empty());

  auto bad = Address::from_parts("ro@meo", "example.net");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "localpart contains forbidden character '@'");
  EXPECT_FALSE(Address::from_parts("romeo", "").ok());
}

TEST(Address, BareFullAndWithResource) {
  auto full = Address::parse("romeo@example.net/orchard").value();
  EXPECT_TRUE(full.is_full());
  EXPECT_FALSE(full.is_bare());
  EXPECT_FALSE(full.empty());
  Address bare = full.bare();
  EXPECT_TRUE(bare.is_bare());
  EXPECT_EQ(bare.to_string(), "romeo@example.net");
  EXPECT_NE(bare, full);

  auto other = full.with_resource("garden");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->to_string(), "romeo@example.net/garden");
  EXPECT_FALSE(full.with_resource("").ok());
  EXPECT_FALSE(full.with_resource("\x07").ok());

  Address empty;
  EXPECT_TRUE(empty.empty());
}

TEST(Address, EqualityAndHashFollowNormalisation) {
  auto a = Address::parse("Juliet@Example.com/r").value();
  auto b = Address::parse("juliet@EXAMPLE.COM./r").value();
  EXPECT_EQ(a, b);
  AddressHash h;
  EXPECT_EQ(h(a), h(b));

  std::unordered_set<Address, AddressHash> set;
  set.insert(a);
  set.insert(b);
  set.insert(a.bare());
  set.insert(Address::parse("example.com/r").value());
  EXPECT_EQ(set.size(), 3u);
  // Hash separates parts: the same characters in different parts differ.
  auto x = Address::from_parts("ab", "c.d").value();
  auto y = Address::from_parts("", "c.d", "ab").value();
  EXPECT_NE(x, y);
  EXPECT_NE(h(x), h(y));
}

TEST(Address, OrderingIsTotal) {
  auto a = Address::parse("a@example.com").value();
  auto b = Address::parse("b@example.com").value();
  EXPECT_TRUE(a < b);
  EXPECT_FALSE(b < a);
}

}  // namespace
}  // namespace parley::model
