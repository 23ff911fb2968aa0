#pragma once
// Shared fixture of the feature tests: a logged-in session for juliet@example.com/balcony with
// a fake core and in-memory stores; requests are written as XML and answers checked as trees.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "mapping/model/stanza_error.hpp"
#include "tests/unit/adapters/xmpp/features/fake_core.hpp"
#include "tests/unit/adapters/xmpp/features/fake_session.hpp"
#include "tests/unit/adapters/xmpp/features/memory_stores.hpp"

namespace parley::xmpp::test {

inline model::Address addr(std::string_view text) {
  auto parsed = model::Address::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed ? parsed.value() : model::Address{};
}

inline wire::XmlElement xml(std::string_view text) {
  auto parsed = wire::parse_fragment(text, "jabber:client");
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed ? std::move(parsed).value() : wire::XmlElement("unparsable");
}

class FeatureTest : public ::testing::Test {
 protected:
  FeatureTest() {
    session.full = addr("juliet@example.com/balcony");
    session.bare_user = addr("juliet@example.com");
    session.xmpp_config.domains = {"example.com"};
    core.accounts.insert(addr("juliet@example.com"));
    core.accounts.insert(addr("romeo@example.com"));
  }

  void logged_out() {
    session.full = {};
    session.bare_user = {};
  }

  // Sends one request to the handler and runs everything it posted. Every request must be
  // answered exactly once (SessionContext's contract).
  void dispatch(const IqHandler& handler, std::string_view request) {
    const std::size_t errors_before = session.errors.size();
    const std::size_t before = session.replies();
    handler(session, xml(request));
    session.run_posted();
    ASSERT_EQ(session.replies(), before + 1) << "not answered exactly once: " << request;
    last_reply_was_error_ = session.errors.size() > errors_before;
  }

  // The last reply must be a result (not an error) with the request's id.
  const wire::XmlElement& result(std::string_view id) {
    EXPECT_FALSE(last_reply_was_error_)
        << "error: " << model::condition_name(session.errors.back().error.condition);
    if (last_reply_was_error_ || session.sent.empty()) {
      static const wire::XmlElement kNone("none");
      return kNone;
    }
    const wire::XmlElement& reply = session.sent.back();
    EXPECT_EQ(reply.name(), "iq");
    EXPECT_EQ(reply.attr_or("type"), "result");
    EXPECT_EQ(reply.attr_or("id"), id);
    return reply;
  }

  // The last reply must be an error with that condition, answering the request `id`.
  void expect_error(model::ErrorCondition condition, std::string_view id) {
    ASSERT_TRUE(last_reply_was_error_) << "expected " << model::condition_name(condition);
    const auto& reply = session.errors.back();
    EXPECT_EQ(model::condition_name(reply.error.condition), model::condition_name(condition));
    EXPECT_EQ(reply.request.attr_or("id"), id);
  }

  FakeCore core;
  InlineStoreExecutor store;
  FakeSessionContext session{core, store};
  bool last_reply_was_error_ = false;
};

}  // namespace parley::xmpp::test
