#include "mapping/sip/content.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

struct GoodCase {
  std::string content_type;
  std::string body;
  ContentKind kind;
  std::string text;
};

TEST(SipContent, AcceptedTypes) {
  const GoodCase cases[] = {
      {"text/plain", "hello", ContentKind::text, "hello"},
      {"text/plain;charset=UTF-8", "h\xc3\xa9llo", ContentKind::text, "h\xc3\xa9llo"},
      {"Text/Plain; Charset=\"utf-8\"", "x", ContentKind::text, "x"},
      {"text/plain; charset=us-ascii", "x", ContentKind::text, "x"},
      {"text/plain", "  keep\n spacing ", ContentKind::text, "  keep\n spacing "},
      {"text/html", "<b>bold</b> &amp; <i>it</i>", ContentKind::html, "bold & it"},
      {"application/im-iscomposing+xml", "<isComposing/>", ContentKind::is_composing, ""},
      {"", "", ContentKind::text, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.content_type);
    auto got = parse_content(c.content_type, c.body);
    ASSERT_TRUE(got.ok()) << got.error().reason;
    EXPECT_EQ(got->kind, c.kind);
    EXPECT_EQ(got->body_text, c.text);
    if (c.kind == ContentKind::html) {
      EXPECT_EQ(got->html, c.body);
    }
  }
}

struct BadCase {
  std::string content_type;
  std::string body;
  int status;
};

TEST(SipContent, RefusedTypes) {
  const BadCase cases[] = {
      {"application/sdp", "v=0", 415},
      {"message/cpim", "x", 415},
      {"text/plain;charset=iso-8859-1", "x", 415},
      {"", "body without type", 415},
      {"text/plain", "bad \xff utf8", 400},
      {"text/plain", "overlong \xc0\xaf", 400},
      {"text/plain", "surrogate \xed\xa0\x80", 400},
      {"text/plain", "truncated \xe2\x82", 400},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.content_type + " / " + c.body);
    auto got = parse_content(c.content_type, c.body);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().status, c.status);
    EXPECT_FALSE(got.error().reason.empty());
    if (c.status == 415) {
      EXPECT_EQ(got.error().accept, accepted_content_types());
    }
  }
}

TEST(SipContent, HtmlKeepsPayloadForSipRecipients) {
  auto c = parse_content("text/html; charset=utf-8", "<p>Hi <b>Bob</b></p><p>2nd</p>");
  ASSERT_TRUE(c.ok());
  model::Message m;
  apply_content(*c, m);
  EXPECT_EQ(m.body, "Hi Bob\n2nd");
  ASSERT_EQ(m.extensions.size(), 1u);
  EXPECT_EQ(m.extensions[0].origin, model::Protocol::sip);
  EXPECT_EQ(m.extensions[0].ns, kHtmlPayloadNs);
  // Applying twice does not duplicate the payload.
  apply_content(*c, m);
  EXPECT_EQ(m.extensions.size(), 1u);

  OutgoingContent out = content_for_sip(m);
  EXPECT_EQ(out.content_type, "text/html;charset=UTF-8");
  EXPECT_EQ(out.body, "<p>Hi <b>Bob</b></p><p>2nd</p>");
}

TEST(SipContent, PlainForXmppOriginAndPlainSip) {
  model::Message m;
  m.body = "from xmpp";
  m.extensions.push_back({model::Protocol::xmpp, "http://jabber.org/protocol/xhtml-im", "html",
                          "<html xmlns='http://jabber.org/protocol/xhtml-im'/>"});
  OutgoingContent out = content_for_sip(m);
  EXPECT_EQ(out.content_type, "text/plain;charset=UTF-8");
  EXPECT_EQ(out.body, "from xmpp");

  auto plain = parse_content("text/plain", "just text");
  ASSERT_TRUE(plain.ok());
  model::Message n;
  apply_content(*plain, n);
  EXPECT_EQ(n.body, "just text");
  EXPECT_TRUE(n.extensions.empty());
}

TEST(SipContent, Utf8Validator) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("ascii"));
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbf"));       // U+FFFF
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\x80"));
}

}  // namespace
}  // namespace parley::mapping::sip
