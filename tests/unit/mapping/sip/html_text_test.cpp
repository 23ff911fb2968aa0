#include <gtest/gtest.h>

#include "mapping/sip/content.hpp"

namespace parley::mapping::sip {
namespace {

struct Case {
  std::string html;
  std::string text;
};

TEST(HtmlToText, Table) {
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"<b>bold</b>", "bold"},
      {"a<br>b<br/>c<BR />d", "a\nb\nc\nd"},
      {"<p>one</p><p>two</p>", "one\ntwo"},
      {"<div>x</div><div>y</div>", "x\ny"},
      {"<ul><li>a</li><li>b</li></ul>", "a\nb"},
      {"  lots   of \n\t space  ", "lots of space"},
      {"&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos;", "<tag> & \"q\" 'a'"},
      {"&#233;&#xE9;&#X2014;", "\xc3\xa9\xc3\xa9\xe2\x80\x94"},
      {"&#0;&#xD800;&#99999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"AT&T & co; &unknown;", "AT&T & co; &unknown;"},
      {"a&nbsp;b",
       "a\xc2\xa0"
       "b"},
      {"x<script>alert('<b>')</script>y", "xy"},
      {"x<STYLE>p{}</Style>y", "xy"},
      {"a<!-- <b>hidden</b> -->b", "ab"},
      {"a<!-- never closed", "a"},
      {"a<b", "a"},
      {"<script>unterminated", ""},
      {"<a href=\"x>y\">link</a>", "y\">link"},  // not a parser: tags end at the first '>'
      {"<p></p><p></p><p></p>text", "text"},
      {"a<br><br><br><br>b", "a\n\nb"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(html_to_text(c.html), c.text) << "input: " << c.html;
  }
}

TEST(HtmlToText, LargeInputIsLinear) {
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<b>x</b>&amp;";
  std::string text = html_to_text(html);
  EXPECT_EQ(text.size(), 40000u);
}

}  // namespace
}  // namespace parley::mapping::sip
