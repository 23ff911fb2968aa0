#include "adapters/xmpp/wire/xml_element.hpp"

#include <gtest/gtest.h>

namespace parley::xmpp::wire {
namespace {

TEST(XmlElementTest, EscapesTextAndAttributes) {
  XmlElement body("body", "jabber:client");
  body.set_attr("note", "a&b<c>d\"e'f");
  body.add_text("1 < 2 && 3 > 2 ]]> 'q' \"d\"");
  EXPECT_EQ(body.serialize("jabber:client"),
            "<body note='a&amp;b&lt;c&gt;d&quot;e&apos;f'>"
            "1 &lt; 2 &amp;&amp; 3 &gt; 2 ]]&gt; 'q' \"d\"</body>");
}

TEST(XmlElementTest, EscapesWhitespaceInAttributesAndCarriageReturns) {
  std::string out;
  append_escaped(out, "a\tb\nc\rd", true);
  EXPECT_EQ(out, "a&#9;b&#10;c&#13;d");
  out.clear();
  append_escaped(out, "a\tb\nc\rd", false);
  EXPECT_EQ(out, "a\tb\nc&#13;d");
}

TEST(XmlElementTest, XmlnsOnlyWhereItDiffersFromTheParent) {
  XmlElement message("message", "jabber:client");
  message.add_child("body").add_text("hi");  // inherits jabber:client
  message.add_child("active", "http://jabber.org/protocol/chatstates");
  auto& x = message.add_child("x", "jabber:x:oob");
  x.add_child("url").add_text("https://example.org/");
  EXPECT_EQ(message.serialize("jabber:client"),
            "<message><body>hi</body>"
            "<active xmlns='http://jabber.org/protocol/chatstates'/>"
            "<x xmlns='jabber:x:oob'><url>https://example.org/</url></x></message>");
  EXPECT_EQ(message.serialize(),
            "<message xmlns='jabber:client'><body>hi</body>"
            "<active xmlns='http://jabber.org/protocol/chatstates'/>"
            "<x xmlns='jabber:x:oob'><url>https://example.org/</url></x></message>");
  EXPECT_EQ(message.child("url"), nullptr);  // not a direct child
  EXPECT_EQ(message.child("x")->child("url", "jabber:x:oob")->text(), "https://example.org/");
}

TEST(XmlElementTest, ChildrenWithoutNamespaceInheritTheParentsRecursively) {
  XmlElement item("item");
  item.add_child("group").add_text("Friends");
  XmlElement query("query", "jabber:iq:roster");
  query.add_child(std::move(item));
  const XmlElement* added = query.child("item", "jabber:iq:roster");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->child_text("group", "jabber:iq:roster"), "Friends");
}

TEST(XmlElementTest, AttributeOrderIsPreservedAndSetReplaces) {
  XmlElement iq("iq", "jabber:client");
  iq.set_attr("type", "get").set_attr("id", "1").set_attr("to", "example.org");
  iq.set_attr("xml:lang", "en");
  iq.set_attr("id", "2");
  EXPECT_EQ(iq.serialize("jabber:client"),
            "<iq type='get' id='2' to='example.org' xml:lang='en'/>");
  iq.remove_attr("type");
  EXPECT_FALSE(iq.attr("type").has_value());
  EXPECT_EQ(iq.attr_or("type", "none"), "none");
  EXPECT_EQ(iq.attr("xml:lang").value_or(""), "en");
}

TEST(XmlElementTest, StreamNamespaceUsesTheStreamPrefix) {
  XmlElement features("features", "http://etherx.jabber.org/streams");
  features.add_child("bind", "urn:ietf:params:xml:ns:xmpp-bind");
  EXPECT_EQ(features.serialize("jabber:client"),
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
  // The default namespace in scope does not change inside a stream:-prefixed element.
  XmlElement error("error", "http://etherx.jabber.org/streams");
  error.add_child(XmlElement("message", "jabber:client"));
  EXPECT_EQ(error.serialize("jabber:client"), "<stream:error><message/></stream:error>");
}

TEST(XmlElementTest, TextNodesMergeAndMixWithElements) {
  XmlElement p("p", "urn:test");
  p.add_text("a").add_text("b");
  p.add_child("br");
  p.add_text("c");
  EXPECT_EQ(p.text(), "abc");
  EXPECT_EQ(p.serialize(), "<p xmlns='urn:test'>ab<br/>c</p>");
  p.set_text("z");
  EXPECT_EQ(p.serialize(), "<p xmlns='urn:test'><br/>z</p>");
  p.set_text("");
  EXPECT_EQ(p.text(), "");
}

TEST(XmlElementTest, ChildLookupAndRemoval) {
  XmlElement m("message", "jabber:client");
  m.add_child("body").add_text("1");
  m.add_child("body").add_text("2");
  m.add_child("body", "urn:other").add_text("3");
  EXPECT_EQ(m.children("body").size(), 3u);
  EXPECT_EQ(m.children("body", "jabber:client").size(), 2u);
  EXPECT_EQ(m.child_text("body", "urn:other"), "3");
  EXPECT_EQ(m.child_text("missing"), "");
  m.remove_children("body", "jabber:client");
  ASSERT_EQ(m.element_children().size(), 1u);
  EXPECT_EQ(m.element_children()[0]->xmlns(), "urn:other");
  m.child("body")->set_attr("k", "v");
  EXPECT_EQ(m.child("body")->attr_or("k"), "v");
}

TEST(XmlElementTest, CopyIsDeepAndMoveLeavesTheTree) {
  XmlElement original("message", "jabber:client");
  original.add_child("body").add_text("hello");
  XmlElement copy = original;
  copy.child("body")->set_text("changed");
  EXPECT_EQ(original.child_text("body"), "hello");
  EXPECT_EQ(copy.child_text("body"), "changed");
  XmlElement assigned("x");
  assigned = original;
  EXPECT_EQ(assigned.serialize(), original.serialize());
  XmlElement moved = std::move(copy);
  EXPECT_EQ(moved.child_text("body"), "changed");
  assigned = std::move(moved);
  EXPECT_EQ(assigned.child_text("body"), "changed");
}

TEST(XmlElementTest, SerializeToAppends) {
  std::string out = "prefix:";
  XmlElement("a", "urn:a").serialize_to(out);
  XmlElement("b", "urn:a").serialize_to(out, "urn:a");
  EXPECT_EQ(out, "prefix:<a xmlns='urn:a'/><b/>");
}

}  // namespace
}  // namespace parley::xmpp::wire
