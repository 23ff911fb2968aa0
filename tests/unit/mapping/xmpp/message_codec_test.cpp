#include "mapping/xmpp/message_codec.hpp"

#include <gtest/gtest.h>

#include "mapping/xmpp/datetime.hpp"
#include "tests/unit/mapping/xmpp/xml_test_util.hpp"

namespace parley::mapping::xmpp {
namespace {

using model::Message;
using model::MessageType;
using testing::semantically_equal;
using testing::xml;

model::Address addr(std::string_view text) {
  return model::Address::parse(text).value();
}

model::ForeignPayload payload(std::string ns, std::string name, std::string data) {
  return {model::Protocol::xmpp, std::move(ns), std::move(name), std::move(data)};
}

void expect_same(const Message& a, const Message& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.stanza_id, b.stanza_id);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.thread, b.thread);
  EXPECT_EQ(a.lang, b.lang);
  EXPECT_EQ(a.delayed, b.delayed);
  if (a.delayed) {
    EXPECT_EQ(a.stamp, b.stamp);
  }
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.extensions, b.extensions);
}

struct ModelCase {
  const char* name;
  Message message;
};

std::vector<ModelCase> model_cases() {
  std::vector<ModelCase> cases;
  {
    Message m;
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net");
    m.type = MessageType::chat;
    m.id = "m1";
    m.body = "Wherefore art thou, Romeo? <3 & 'co'";
    cases.push_back({"chat", m});
  }
  {
    Message m;
    m.to = addr("room@conference.example.org");
    m.type = MessageType::groupchat;
    m.subject = "Today's topic";
    m.lang = "de";
    cases.push_back({"groupchat subject", m});
  }
  {
    Message m;
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net/orchard");
    m.body = "threaded";
    m.thread = "e0ffe42b28561960c6b12b944a092794b9683a38";
    m.type = MessageType::headline;
    cases.push_back({"headline thread", m});
  }
  {
    Message m;
    m.from = addr("example.net");
    m.to = addr("juliet@example.com/balcony");
    m.type = MessageType::error;
    m.id = "e1";
    m.body = "original";
    m.error = model::StanzaError::make(model::ErrorCondition::recipient_unavailable, "offline");
    cases.push_back({"error", m});
  }
  {
    Message m;
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net");
    m.type = MessageType::chat;
    m.body = "with payloads";
    m.extensions = {
        payload("http://jabber.org/protocol/chatstates", "active",
                "<active xmlns='http://jabber.org/protocol/chatstates'/>"),
        payload("urn:xmpp:receipts", "request", "<request xmlns='urn:xmpp:receipts'/>"),
        payload("jabber:x:oob", "x",
                "<x xmlns='jabber:x:oob'><url>https://e.org/a?b=1&amp;c=2</url></x>"),
        payload("jabber:client", "body",
                "<body xmlns='jabber:client' xml:lang='fr'>avec des charges</body>"),
    };
    cases.push_back({"payloads", m});
  }
  {
    Message m;
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net");
    m.type = MessageType::chat;
    m.body = "offline";
    m.delayed = true;
    m.stamp = parse_datetime("2024-05-01T10:00:00.250Z").value();
    cases.push_back({"delayed", m});
  }
  return cases;
}

TEST(MessageCodecTest, ModelToXmlToModelIsIdentity) {
  for (const auto& c : model_cases()) {
    SCOPED_TRACE(c.name);
    auto x = message_to_xml(c.message);
    // Through bytes as well, as the session does.
    auto reparsed = xml(x.serialize());
    auto back = message_from_xml(reparsed);
    ASSERT_TRUE(back.ok()) << back.error().text;
    expect_same(*back, c.message);
  }
}

// The direct writer of the delivery path writes what the element tree serializes to, byte
// for byte, with and without the session's options, and with the server's stanza-id.
TEST(MessageCodecTest, WireWriterMatchesTheElementTreeByteForByte) {
  auto cases = model_cases();
  {
    Message m;  // nothing but addresses: an empty element
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net");
    cases.push_back({"empty", m});
  }
  {
    Message m;  // every escaped character in attributes and text
    m.from = addr("juliet@example.com/balcony");
    m.to = addr("romeo@example.net");
    m.id = "a'b\"c<d>&e\tf\ng\rh";
    m.lang = "en";
    m.body = "<b>&amp; ]]> '\"\r\n\ttab";
    m.subject = "s&s";
    m.thread = "t<t";
    cases.push_back({"escaping", m});
  }
  {
    Message m;  // only a payload that does not parse: still an empty element
    m.to = addr("romeo@example.net");
    m.extensions = {payload("urn:x", "x", "<x xmlns='urn:x'>"),
                    {model::Protocol::sip, "text/html", "html", "<p>hi</p>"}};
    cases.push_back({"payload dropped", m});
  }
  for (auto c : model_cases()) {
    c.message.stanza_id = "sid-1";
    c.message.delayed = true;
    c.message.stamp = parse_datetime("2024-05-01T10:00:00Z").value();
    cases.push_back({"stanza-id and delay", c.message});
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(message_to_wire(c.message), message_to_xml(c.message).serialize("jabber:client"));
    MessageXmlOptions options{.delay_from = "example.com"};
    EXPECT_EQ(message_to_wire(c.message, options),
              message_to_xml(c.message, options).serialize("jabber:client"));
  }
}

// Payloads read by message_from_xml are written by our serializer: the wire writer copies them,
// and the result is still the tree's, byte for byte.
TEST(MessageCodecTest, WireWriterCopiesOurOwnPayloadsAndMatchesTheTree) {
  const char* inputs[] = {
      "<message xmlns='jabber:client' to='romeo@example.net' type='chat' id='c1'>"
      "<body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
      "<request xmlns='urn:xmpp:receipts'/><origin-id xmlns='urn:xmpp:sid:0' id='o&amp;1'/>"
      "</message>",
      "<message xmlns='jabber:client' to='romeo@example.net'><body>b</body>"
      "<x xmlns='urn:xmpp:custom' a='&apos;q&quot;'><a k='1'>&lt;t&gt; &amp;</a><b/>tail"
      "<c xmlns='urn:other'><d/></c></x>"
      "<body xml:lang='de'>zweite</body>"
      "<p:y xmlns:p='urn:prefixed' p:attr='v'><p:z/></p:y></message>",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    auto message = message_from_xml(xml(input));
    ASSERT_TRUE(message.ok()) << message.error().text;
    ASSERT_FALSE(message->extensions.empty());
    for (const auto& payload : message->extensions) EXPECT_TRUE(payload.written_by_us);
    EXPECT_EQ(message_to_wire(*message), message_to_xml(*message).serialize("jabber:client"));
  }
  // Copied, not parsed: our own text goes out as it is; the same text from elsewhere (a stored
  // row) is parsed and written again.
  Message m;
  m.to = addr("romeo@example.net");
  m.extensions = {payload("urn:x", "x", "<x xmlns='urn:x' ></x>")};
  EXPECT_EQ(message_to_wire(m), "<message to='romeo@example.net'><x xmlns='urn:x'/></message>");
  m.extensions[0].written_by_us = true;
  EXPECT_EQ(message_to_wire(m), "<message to='romeo@example.net'><x xmlns='urn:x' ></x></message>");
}

TEST(MessageCodecTest, XmlToModelToXmlIsSemanticallyEqual) {
  const char* inputs[] = {
      "<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat' id='a1' "
      "xml:lang='en'><body>Hi</body><thread>t1</thread>"
      "<active xmlns='http://jabber.org/protocol/chatstates'/></message>",
      "<message to='romeo@example.net' type='chat'><body>default</body>"
      "<body xml:lang='de'>Standard</body><subject>s</subject>"
      "<subject xml:lang='de'>S</subject></message>",
      "<message to='romeo@example.net'><body>thread with parent</body>"
      "<thread parent='p1'>t2</thread></message>",
      "<message to='romeo@example.net' type='chat'><body>b</body>"
      "<x xmlns='urn:xmpp:custom'><a k='1'>&lt;t&gt;</a><b/>tail</x>"
      "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>",
      "<message to='romeo@example.net' type='chat'><body>late</body>"
      "<delay xmlns='urn:xmpp:delay' from='example.net' stamp='2002-09-10T23:08:25Z'/></message>",
      "<message from='romeo@example.net' to='juliet@example.com' type='error'>"
      "<body>orig</body><error type='cancel'>"
      "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    auto original = xml(input);
    auto m = message_from_xml(original);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(semantically_equal(message_to_xml(*m), original));
  }
}

TEST(MessageCodecTest, UnknownOrNormalTypeIsNormalAndNotWritten) {
  for (const char* input :
       {"<message type='bogus'><body>x</body></message>",
        "<message type='normal'><body>x</body></message>", "<message><body>x</body></message>"}) {
    auto m = message_from_xml(xml(input));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type, MessageType::normal) << input;
    EXPECT_FALSE(message_to_xml(*m).attr("type").has_value());
  }
}

TEST(MessageCodecTest, InvalidAddressesAreJidMalformed) {
  for (const char* input :
       {"<message to='a@b@c'/>", "<message from='@example.org'/>", "<message to=''/>"}) {
    auto m = message_from_xml(xml(input));
    ASSERT_FALSE(m.ok()) << input;
    EXPECT_EQ(m.error().condition, model::ErrorCondition::jid_malformed);
    EXPECT_EQ(m.error().type, model::ErrorType::modify);
  }
}

TEST(MessageCodecTest, SkippedAddressesAreLeftEmptyAndTheRestIsRead) {
  // The session stamped 'from' and parsed 'to' itself: they are not read (or judged) again.
  auto m =
      message_from_xml(xml("<message from='alice@example.org/desk' to='a@b@c' type='chat' id='7'>"
                           "<body>hi</body></message>"),
                       MessageAddresses::skip);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->from.empty());
  EXPECT_TRUE(m->to.empty());
  EXPECT_EQ(m->type, MessageType::chat);
  EXPECT_EQ(m->id, "7");
  EXPECT_EQ(m->body, "hi");
}

TEST(MessageCodecTest, FirstDefaultLanguageBodyWinsOthersPassThrough) {
  auto m = message_from_xml(
      xml("<message xml:lang='en'><body xml:lang='de'>Hallo</body><body>Hello</body>"
          "<body xml:lang='en'>Hello again</body></message>"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->body, "Hello");
  ASSERT_EQ(m->extensions.size(), 2u);
  EXPECT_EQ(m->extensions[0].data, "<body xmlns='jabber:client' xml:lang='de'>Hallo</body>");
  EXPECT_EQ(m->extensions[1].name, "body");
}

TEST(MessageCodecTest, ClientClaimedStanzaIdIsDropped) {
  auto m =
      message_from_xml(xml("<message to='romeo@example.net' type='chat'><body>x</body>"
                           "<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='romeo@example.net'/>"
                           "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>"));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->stanza_id.empty());
  ASSERT_EQ(m->extensions.size(), 1u);
  EXPECT_EQ(m->extensions[0].name, "origin-id");
}

TEST(MessageCodecTest, ServerStanzaIdAndDelayAreWritten) {
  Message m;
  m.from = addr("juliet@example.com/balcony");
  m.to = addr("romeo@example.net/orchard");
  m.type = MessageType::chat;
  m.body = "stored";
  m.stanza_id = "sid-42";
  m.delayed = true;
  m.stamp = parse_datetime("2024-01-02T03:04:05Z").value();
  EXPECT_EQ(message_to_xml(m).serialize("jabber:client"),
            "<message from='juliet@example.com/balcony' to='romeo@example.net/orchard' "
            "type='chat'><body>stored</body>"
            "<delay xmlns='urn:xmpp:delay' from='example.net' stamp='2024-01-02T03:04:05Z'/>"
            "<stanza-id xmlns='urn:xmpp:sid:0' id='sid-42' by='romeo@example.net'/></message>");
  MessageXmlOptions options;
  options.delay_from = "gateway.example.net";
  EXPECT_EQ(message_to_xml(m, options).child("delay", "urn:xmpp:delay")->attr_or("from"),
            "gateway.example.net");
}

TEST(MessageCodecTest, DelayStampFormats) {
  struct Case {
    const char* stamp;
    bool delayed;
  };
  const Case cases[] = {
      {"2002-09-10T23:08:25Z", true},        {"2002-09-10T23:08:25.123Z", true},
      {"2002-09-10T23:08:25.123456Z", true}, {"2002-09-10T23:08:25-07:00", true},
      {"2002-09-10T23:08:25", false},        {"yesterday", false},
  };
  for (const auto& c : cases) {
    wire::XmlElement stanza("message", "jabber:client");
    stanza.add_child("delay", "urn:xmpp:delay").set_attr("stamp", c.stamp);
    auto m = message_from_xml(stanza);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->delayed, c.delayed) << c.stamp;
    if (c.delayed) {
      EXPECT_EQ(m->stamp, parse_datetime(c.stamp).value());
      EXPECT_TRUE(m->extensions.empty());
    } else {
      ASSERT_EQ(m->extensions.size(), 1u) << "an unreadable delay passes through";
    }
  }
}

TEST(MessageCodecTest, UnparseablePayloadsAndOtherProtocolsAreSkipped) {
  Message m;
  m.to = addr("romeo@example.net");
  m.extensions = {
      {model::Protocol::sip, "application/x", "x", "<x/>"},
      {model::Protocol::xmpp, "urn:x", "x", "<x xmlns='urn:x'>"},
      {model::Protocol::xmpp, "urn:y", "y", "<y xmlns='urn:y'/>"},
  };
  auto x = message_to_xml(m);
  ASSERT_EQ(x.element_children().size(), 1u);
  EXPECT_EQ(x.element_children()[0]->xmlns(), "urn:y");
}

}  // namespace
}  // namespace parley::mapping::xmpp
