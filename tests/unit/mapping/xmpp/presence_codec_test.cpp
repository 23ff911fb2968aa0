#include "mapping/xmpp/presence_codec.hpp"

#include <gtest/gtest.h>

#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

using model::Presence;
using model::PresenceType;
using model::Show;
using testing::semantically_equal;
using testing::xml;

model::Address addr(std::string_view text) {
  return model::Address::parse(text).value();
}

void expect_same(const Presence& a, const Presence& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.show, b.show);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.lang, b.lang);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.extensions, b.extensions);
}

std::vector<Presence> model_cases() {
  std::vector<Presence> cases;
  Presence available;
  available.from = addr("juliet@example.com/balcony");
  cases.push_back(available);

  Presence away = available;
  away.show = Show::away;
  away.status = "In the garden & <out>";
  away.priority = -128;
  away.lang = "en";
  away.extensions = {{model::Protocol::xmpp, "http://jabber.org/protocol/caps", "c",
                      "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                      "node='https://gajim.org' ver='kvO+3N8XVB3WJhpW4mn+VrM5a5U='/>"},
                     {model::Protocol::xmpp, "vcard-temp:x:update", "x",
                      "<x xmlns='vcard-temp:x:update'><photo/></x>"}};
  cases.push_back(away);

  for (Show show : {Show::chat, Show::dnd, Show::xa}) {
    Presence p = available;
    p.show = show;
    p.priority = 127;
    cases.push_back(p);
  }
  for (PresenceType type :
       {PresenceType::unavailable, PresenceType::subscribe, PresenceType::subscribed,
        PresenceType::unsubscribe, PresenceType::unsubscribed, PresenceType::probe}) {
    Presence p;
    p.from = addr("juliet@example.com");
    p.to = addr("romeo@example.net");
    p.type = type;
    p.id = "p-" + std::string(model::presence_type_name(type));
    cases.push_back(p);
  }
  Presence error;
  error.from = addr("romeo@example.net");
  error.to = addr("juliet@example.com/balcony");
  error.type = PresenceType::error;
  error.error = model::StanzaError::make(model::ErrorCondition::remote_server_not_found);
  cases.push_back(error);
  return cases;
}

TEST(PresenceCodecTest, ModelToXmlToModelIsIdentity) {
  for (const auto& p : model_cases()) {
    auto x = presence_to_xml(p);
    SCOPED_TRACE(x.serialize());
    auto back = presence_from_xml(xml(x.serialize()));
    ASSERT_TRUE(back.ok()) << back.error().text;
    expect_same(*back, p);
  }
}

TEST(PresenceCodecTest, XmlToModelToXmlIsSemanticallyEqual) {
  const char* inputs[] = {
      "<presence/>",
      "<presence xml:lang='en'><show>dnd</show><status>Busy</status>"
      "<status xml:lang='cs'>Zaneprázdněn</status><priority>5</priority>"
      "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>",
      "<presence to='room@conference.example.org/nick'>"
      "<x xmlns='http://jabber.org/protocol/muc'><password>secret</password>"
      "<history maxstanzas='20'/></x></presence>",
      "<presence type='unavailable' id='u1'><status>Bye</status></presence>",
      "<presence to='nurse@example.com' type='subscribe'/>",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    auto original = xml(input);
    auto p = presence_from_xml(original);
    ASSERT_TRUE(p.ok()) << p.error().text;
    EXPECT_TRUE(semantically_equal(presence_to_xml(*p), original));
  }
}

// The direct writer of the delivery path writes what the element tree serializes to, byte for
// byte: for the model cases (their payloads parsed again) and for parsed presences (their
// payloads, written by our serializer, copied).
TEST(PresenceCodecTest, WireWriterMatchesTheElementTreeByteForByte) {
  for (const auto& p : model_cases()) {
    SCOPED_TRACE(presence_to_xml(p).serialize());
    EXPECT_EQ(presence_to_wire(p), presence_to_xml(p).serialize("jabber:client"));
  }
  const char* inputs[] = {
      "<presence xml:lang='en'><show>dnd</show><status>Busy &amp; &lt;away&gt;</status>"
      "<status xml:lang='cs'>Zaneprázdněn</status><priority>-5</priority>"
      "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v&apos;'/>"
      "<x xmlns='vcard-temp:x:update'><photo>abc</photo></x></presence>",
      "<presence to='room@conference.example.org/nick'>"
      "<x xmlns='http://jabber.org/protocol/muc'><password>secret</password>"
      "<history maxstanzas='20'/></x></presence>",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    auto p = presence_from_xml(xml(input));
    ASSERT_TRUE(p.ok()) << p.error().text;
    ASSERT_FALSE(p->extensions.empty());
    EXPECT_TRUE(p->extensions.back().written_by_us);
    EXPECT_EQ(presence_to_wire(*p), presence_to_xml(*p).serialize("jabber:client"));
  }
}

TEST(PresenceCodecTest, PriorityRange) {
  struct Case {
    const char* text;
    bool ok;
    int value;
  };
  const Case cases[] = {{"0", true, 0},     {"127", true, 127},       {"-128", true, -128},
                        {" 7 ", true, 7},   {"+3", true, 3},          {"128", false, 0},
                        {"-129", false, 0}, {"1.5", false, 0},        {"abc", false, 0},
                        {"", false, 0},     {"99999999999", false, 0}};
  for (const auto& c : cases) {
    wire::XmlElement stanza("presence", "jabber:client");
    stanza.add_child("priority").set_text(c.text);
    auto p = presence_from_xml(stanza);
    ASSERT_EQ(p.ok(), c.ok) << "'" << c.text << "'";
    if (c.ok) {
      EXPECT_EQ(p->priority, c.value);
    } else {
      EXPECT_EQ(p.error().condition, model::ErrorCondition::bad_request);
    }
  }
}

TEST(PresenceCodecTest, UnknownTypeOrShowIsBadRequest) {
  for (const char* input :
       {"<presence type='invisible'/>", "<presence type=''/>",
        "<presence><show>online</show></presence>", "<presence><show/></presence>"}) {
    auto p = presence_from_xml(xml(input));
    ASSERT_FALSE(p.ok()) << input;
    EXPECT_EQ(p.error().condition, model::ErrorCondition::bad_request) << input;
  }
}

TEST(PresenceCodecTest, InvalidAddressIsJidMalformed) {
  auto p = presence_from_xml(xml("<presence to='juliet@@example.com'/>"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().condition, model::ErrorCondition::jid_malformed);
}

TEST(PresenceCodecTest, WritesExpectedXml) {
  Presence p;
  p.show = Show::xa;
  p.status = "zzz";
  p.priority = 10;
  EXPECT_EQ(presence_to_xml(p).serialize("jabber:client"),
            "<presence><show>xa</show><status>zzz</status><priority>10</priority></presence>");
}

}  // namespace
}  // namespace parley::mapping::xmpp
