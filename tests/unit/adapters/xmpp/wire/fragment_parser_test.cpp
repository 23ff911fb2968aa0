#include "adapters/xmpp/wire/fragment_parser.hpp"

#include <gtest/gtest.h>

namespace parley::xmpp::wire {
namespace {

TEST(FragmentParserTest, ParsesOneElementWithItsNamespaces) {
  auto r = parse_fragment(" <x xmlns='urn:a' k='v'><y>t &amp; u</y></x>\n");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->name(), "x");
  EXPECT_EQ(r->xmlns(), "urn:a");
  EXPECT_EQ(r->child_text("y", "urn:a"), "t & u");
}

TEST(FragmentParserTest, DefaultNamespaceApplies) {
  auto r = parse_fragment("<body xml:lang='de'>Hallo</body>", "jabber:client");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->xmlns(), "jabber:client");
  EXPECT_EQ(r->attr_or("xml:lang"), "de");
  auto none = parse_fragment("<body/>");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->xmlns(), "");
}

TEST(FragmentParserTest, SerializeThenParseIsIdentity) {
  XmlElement e("message", "jabber:client");
  e.set_attr("to", "a@example.org").set_attr("xml:lang", "en");
  e.add_child("body").add_text("<&>'\"\r\n");
  e.add_child("thing", "urn:x").set_attr("v", "a\tb\nc");
  auto r = parse_fragment(e.serialize());
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->serialize(), e.serialize());
  EXPECT_EQ(r->child_text("body", "jabber:client"), "<&>'\"\r\n");
  EXPECT_EQ(r->child("thing")->attr_or("v"), "a\tb\nc");
}

TEST(FragmentParserTest, RefusesWhatTheStreamRefuses) {
  struct Case {
    std::string input;
    ParseError error;
  };
  const Case cases[] = {
      {"", ParseError::not_well_formed},
      {"text", ParseError::not_well_formed},
      {"<a/><b/>", ParseError::not_well_formed},
      {"<a>", ParseError::not_well_formed},
      {"<a/></stream:stream>", ParseError::not_well_formed},
      {"<a/></stream:stream><b/>", ParseError::not_well_formed},
      {"<a><!-- c --></a>", ParseError::restricted_xml},
      {"<?pi x?><a/>", ParseError::restricted_xml},
      {"<!DOCTYPE a><a/>", ParseError::not_well_formed},  // DOCTYPE after the root start
      {"<a>&ent;</a>", ParseError::not_well_formed},
  };
  for (const auto& c : cases) {
    auto r = parse_fragment(c.input);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.error().error, c.error) << c.input << ": " << r.error().detail;
  }
}

TEST(FragmentParserTest, AppliesLimits) {
  ParserLimits limits;
  limits.max_stanza_bytes = 16;
  auto r = parse_fragment("<a>0123456789012345678901234567890</a>", {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, ParseError::policy_violation);
}

}  // namespace
}  // namespace parley::xmpp::wire
