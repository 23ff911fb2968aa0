// SharedStanza: the bytes every recipient gets must be exactly what serializing the element
// with its own 'to' would give.
#include "adapters/xmpp/wire/shared_stanza.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace parley::xmpp::wire {
namespace {

std::shared_ptr<const XmlElement> groupchat_with_awkward_content() {
  XmlElement message("message", "jabber:client");
  message.set_attr("from", "room@conference.example.com/it's <me>");
  message.set_attr("type", "groupchat");
  message.set_attr("id", "a'b\"c");
  // Text and children that contain what the split looks for must not confuse it.
  message.add_child("body").add_text(" to='x' \x01\x02 ' \" < & ");
  message.add_child("x", "urn:example").set_attr("to", "inner@example.com");
  return std::make_shared<const XmlElement>(std::move(message));
}

std::string serialized_with_to(const XmlElement& element, const std::string& to) {
  XmlElement copy = element;
  copy.set_attr("to", to);
  return copy.serialize("jabber:client");
}

TEST(SharedStanzaTest, AssemblesExactlyWhatSerializingWithToGives) {
  auto element = groupchat_with_awkward_content();
  const SharedStanza shared = make_shared_stanza(element, "jabber:client");
  for (const std::string to : {"alice@example.com/phone", "o'brien@example.com/<x>&\"y\"", ""}) {
    EXPECT_EQ(shared.assemble(escape_attribute(to)), serialized_with_to(*element, to)) << to;
  }
  EXPECT_EQ(shared.element, element);
}

TEST(SharedStanzaTest, HeadEndsAtTheValueOfToAndTailStartsAfterIt) {
  XmlElement message("message", "jabber:client");
  message.set_attr("type", "groupchat");
  message.add_child("body").add_text("hi");
  const SharedStanza shared =
      make_shared_stanza(std::make_shared<const XmlElement>(message), "jabber:client");
  EXPECT_EQ(*shared.head, "<message type='groupchat' to='");
  EXPECT_EQ(*shared.tail, "'><body>hi</body></message>");
}

TEST(SharedStanzaTest, ANamespaceOtherThanTheParentsIsDeclared) {
  XmlElement message("message", "jabber:client");
  const SharedStanza shared =
      make_shared_stanza(std::make_shared<const XmlElement>(message), "jabber:server");
  EXPECT_EQ(shared.assemble("a@b"), "<message xmlns='jabber:client' to='a@b'/>");
}

TEST(SharedStanzaTest, EscapeAttributeEscapesQuotesAndMarkup) {
  EXPECT_EQ(escape_attribute("o'b<\"&>"), "o&apos;b&lt;&quot;&amp;&gt;");
}

}  // namespace
}  // namespace parley::xmpp::wire
