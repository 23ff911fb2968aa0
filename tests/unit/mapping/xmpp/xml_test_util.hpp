#pragma once
// Test helpers: parse literal XML, and compare elements semantically (attribute order, child
// order and whitespace-only text do not matter; namespaces, names, values and text do).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"

namespace parley::mapping::xmpp::testing {

namespace wire = ::parley::xmpp::wire;

inline wire::XmlElement xml(std::string_view text, std::string_view default_ns = "jabber:client") {
  auto parsed = wire::parse_fragment(text, default_ns);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? std::move(parsed).value() : wire::XmlElement("parse-failed");
}

// A canonical string: attributes sorted, children sorted, whitespace-only text dropped.
inline std::string canonical(const wire::XmlElement& e) {
  std::string out = "{" + e.xmlns() + "}" + e.name() + "[";
  std::vector<std::string> attrs;
  for (const auto& a : e.attrs()) attrs.push_back(a.name + "=" + a.value);
  std::sort(attrs.begin(), attrs.end());
  for (const auto& a : attrs) out += a + ";";
  out += "](";
  std::vector<std::string> children;
  for (const auto* c : e.element_children()) children.push_back(canonical(*c));
  std::sort(children.begin(), children.end());
  for (const auto& c : children) out += c + ",";
  std::string text = e.text();
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) out += "'" + text + "'";
  return out + ")";
}

inline ::testing::AssertionResult semantically_equal(const wire::XmlElement& a,
                                                     const wire::XmlElement& b) {
  if (canonical(a) == canonical(b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n  " << a.serialize() << "\n  " << b.serialize();
}

}  // namespace parley::mapping::xmpp::testing
