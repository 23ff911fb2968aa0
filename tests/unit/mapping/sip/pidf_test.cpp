#include "mapping/sip/pidf.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

using model::Presence;
using model::PresenceType;
using model::Show;

const AvailabilityTable& table() {
  return default_availability_table();
}

TEST(Pidf, BuildAndParseRoundTripEveryShow) {
  for (Show show : {Show::online, Show::chat, Show::away, Show::xa, Show::dnd}) {
    Presence p;
    p.show = show;
    p.status = "Out & about <back soon> \"quoted\"";
    std::string xml = build_pidf(p, "sip:alice@example.com", table());
    SCOPED_TRACE(xml);
    auto doc = parse_pidf(xml);
    ASSERT_TRUE(doc.ok()) << doc.error();
    EXPECT_EQ(doc->entity, "sip:alice@example.com");
    EXPECT_EQ(doc->open, std::optional<bool>(true));
    EXPECT_EQ(doc->note, p.status);
    Presence back = presence_from_pidf(*doc, table());
    EXPECT_EQ(back.type, PresenceType::available);
    // xa and chat collapse in the default table (documented): chat -> online, xa -> away.
    Show expected = show == Show::chat ? Show::online : show == Show::xa ? Show::away : show;
    EXPECT_EQ(back.show, expected);
    EXPECT_EQ(back.status, p.status);
  }
}

TEST(Pidf, BuildUnavailable) {
  Presence p;
  p.type = PresenceType::unavailable;
  std::string xml = build_pidf(p, "sip:bob@example.com", table());
  EXPECT_NE(xml.find("<basic>closed</basic>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("dm:person"), std::string::npos) << xml;  // nothing to say about him
  auto back = parse_pidf_presence(xml, table());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->type, PresenceType::unavailable);
}

TEST(Pidf, BuildIsDeterministicAndNamespaced) {
  Presence p;
  p.show = Show::dnd;
  std::string a = build_pidf(p, "sip:alice@example.com", table());
  EXPECT_EQ(a, build_pidf(p, "sip:alice@example.com", table()));
  EXPECT_NE(a.find("xmlns=\"urn:ietf:params:xml:ns:pidf\""), std::string::npos);
  EXPECT_NE(a.find("xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""), std::string::npos);
  EXPECT_NE(a.find("<rpid:activities><rpid:busy/></rpid:activities>"), std::string::npos) << a;
  EXPECT_NE(a.find("entity=\"sip:alice@example.com\""), std::string::npos);
}

TEST(Pidf, ParsesRfc3863Example) {
  // RFC 3863 §5 (the example document, entity changed).
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf"
    entity="pres:someone@example.com">
  <impp:tuple id="sg89ae">
    <impp:status>
      <impp:basic>open</impp:basic>
    </impp:status>
    <impp:contact priority="0.8">tel:+09012345678</impp:contact>
  </impp:tuple>
</impp:presence>)";
  auto doc = parse_pidf(xml);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc->entity, "pres:someone@example.com");
  EXPECT_EQ(doc->open, std::optional<bool>(true));
  EXPECT_TRUE(doc->activities.empty());
}

TEST(Pidf, ParsesRpidPersonLikeBaresipAndLinphone) {
  // RFC 4480 §3.2 activities in the person element, as baresip/linphone publish them.
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@example.com">
  <tuple id="t1"><status><basic>open</basic></status><note>tuple note</note></tuple>
  <dm:person id="p1">
    <rpid:activities><rpid:meal/><rpid:away/></rpid:activities>
    <dm:note>  Lunch  </dm:note>
  </dm:person>
</presence>)";
  auto doc = parse_pidf(xml);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc->activities, (std::vector<std::string>{"meal", "away"}));
  EXPECT_EQ(doc->note, "Lunch");
  Presence p = presence_from_pidf(*doc, table());
  EXPECT_EQ(p.show, Show::away);
  EXPECT_EQ(p.status, "Lunch");
}

TEST(Pidf, AnyOpenTupleMeansOpenAndNoTupleMeansUnknown) {
  const char* two = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
    <tuple id="a"><status><basic>closed</basic></status></tuple>
    <tuple id="b"><status><basic>open</basic></status><note>phone</note></tuple></presence>)";
  auto doc = parse_pidf(two);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->open, std::optional<bool>(true));
  EXPECT_EQ(doc->note, "phone");

  const char* closed = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
    <tuple id="a"><status><basic>closed</basic></status></tuple></presence>)";
  EXPECT_EQ(parse_pidf(closed)->open, std::optional<bool>(false));

  const char* none = R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"/>)";
  auto d = parse_pidf(none);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->open.has_value());
  EXPECT_EQ(presence_from_pidf(*d, table()).type, PresenceType::available);
}

struct BadCase {
  std::string xml;
  std::string fragment;
};

TEST(Pidf, RejectsBadAndDangerousDocuments) {
  std::string deep = "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'>";
  for (int i = 0; i < 40; ++i) deep += "<x>";
  for (int i = 0; i < 40; ++i) deep += "</x>";
  deep += "</presence>";
  std::string big = "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'><note>" +
                    std::string(kMaxPidfBytes, 'a') + "</note></presence>";
  const BadCase cases[] = {
      {"", "not well-formed"},
      {"<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'>", "not well-formed"},
      {"<presence entity='sip:a@b'/>", "not a PIDF document"},
      {"<presence xmlns='urn:ietf:params:xml:ns:pidf'/>", "without entity"},
      {"<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'><tuple id='t'>"
       "<status><basic>maybe</basic></status></tuple></presence>",
       "open or closed"},
      {"<?xml version='1.0'?><!DOCTYPE presence [<!ENTITY a 'aaaa'>]>"
       "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'>&a;</presence>",
       "DOCTYPE"},
      {"<?xml-stylesheet href='x'?><presence xmlns='urn:ietf:params:xml:ns:pidf' "
       "entity='sip:a@b'/>",
       "processing instructions"},
      {deep, "nested too deeply"},
      {big, "too large"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.xml.substr(0, 120));
    auto doc = parse_pidf(c.xml);
    ASSERT_FALSE(doc.ok());
    EXPECT_NE(doc.error().find(c.fragment), std::string::npos) << doc.error();
    EXPECT_FALSE(parse_pidf_presence(c.xml, table()).ok());
  }
}

TEST(Pidf, ControlCharactersInStatusDoNotBreakTheDocument) {
  Presence p;
  p.status = std::string("a\x01") + "b\tc";
  std::string xml = build_pidf(p, "sip:a@example.com", table());
  auto doc = parse_pidf(xml);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc->note, "ab\tc");
}

}  // namespace
}  // namespace parley::mapping::sip
