#include "mapping/model/stanza_error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace parley::model {
namespace {

struct Row {
  ErrorCondition condition;
  std::string_view name;
  ErrorType type;
};

// RFC 6120 §8.3.3, written out independently of the implementation's table.
constexpr Row kExpected[] = {
    {ErrorCondition::bad_request, "bad-request", ErrorType::modify},
    {ErrorCondition::conflict, "conflict", ErrorType::cancel},
    {ErrorCondition::feature_not_implemented, "feature-not-implemented", ErrorType::cancel},
    {ErrorCondition::forbidden, "forbidden", ErrorType::auth},
    {ErrorCondition::gone, "gone", ErrorType::cancel},
    {ErrorCondition::internal_server_error, "internal-server-error", ErrorType::cancel},
    {ErrorCondition::item_not_found, "item-not-found", ErrorType::cancel},
    {ErrorCondition::jid_malformed, "jid-malformed", ErrorType::modify},
    {ErrorCondition::not_acceptable, "not-acceptable", ErrorType::modify},
    {ErrorCondition::not_allowed, "not-allowed", ErrorType::cancel},
    {ErrorCondition::not_authorized, "not-authorized", ErrorType::auth},
    {ErrorCondition::policy_violation, "policy-violation", ErrorType::modify},
    {ErrorCondition::recipient_unavailable, "recipient-unavailable", ErrorType::wait},
    {ErrorCondition::redirect, "redirect", ErrorType::modify},
    {ErrorCondition::registration_required, "registration-required", ErrorType::auth},
    {ErrorCondition::remote_server_not_found, "remote-server-not-found", ErrorType::cancel},
    {ErrorCondition::remote_server_timeout, "remote-server-timeout", ErrorType::wait},
    {ErrorCondition::resource_constraint, "resource-constraint", ErrorType::wait},
    {ErrorCondition::service_unavailable, "service-unavailable", ErrorType::cancel},
    {ErrorCondition::subscription_required, "subscription-required", ErrorType::auth},
    {ErrorCondition::undefined_condition, "undefined-condition", ErrorType::cancel},
    {ErrorCondition::unexpected_request, "unexpected-request", ErrorType::wait},
};

TEST(StanzaError, EveryConditionHasNameAndDefaultType) {
  std::set<std::string_view> names;
  for (const auto& row : kExpected) {
    SCOPED_TRACE(std::string(row.name));
    EXPECT_EQ(condition_name(row.condition), row.name);
    EXPECT_EQ(condition_from_name(row.name), row.condition);
    EXPECT_EQ(default_error_type(row.condition), row.type);
    names.insert(condition_name(row.condition));
  }
  // All 22 enumerators covered, names distinct.
  EXPECT_EQ(names.size(), 22u);
  EXPECT_EQ(static_cast<int>(ErrorCondition::unexpected_request) + 1, 22);
}

TEST(StanzaError, UnknownNames) {
  EXPECT_EQ(condition_from_name("payment-required"), std::nullopt);  // removed in RFC 6120
  EXPECT_EQ(condition_from_name("Bad-Request"), std::nullopt);
  EXPECT_EQ(condition_from_name(""), std::nullopt);
  EXPECT_EQ(error_type_from_name("fatal"), std::nullopt);
}

TEST(StanzaError, TypeNames) {
  const std::pair<ErrorType, std::string_view> types[] = {{ErrorType::auth, "auth"},
                                                          {ErrorType::cancel, "cancel"},
                                                          {ErrorType::continue_, "continue"},
                                                          {ErrorType::modify, "modify"},
                                                          {ErrorType::wait, "wait"}};
  for (auto [type, name] : types) {
    EXPECT_EQ(error_type_name(type), name);
    EXPECT_EQ(error_type_from_name(name), type);
  }
}

TEST(StanzaError, MakeUsesDefaultType) {
  auto e = StanzaError::make(ErrorCondition::not_authorized, "who are you?");
  EXPECT_EQ(e.type, ErrorType::auth);
  EXPECT_EQ(e.condition, ErrorCondition::not_authorized);
  EXPECT_EQ(e.text, "who are you?");
  auto f = StanzaError::make(ErrorCondition::service_unavailable);
  EXPECT_EQ(f.type, ErrorType::cancel);
  EXPECT_TRUE(f.text.empty());
  EXPECT_NE(e, f);
}

}  // namespace
}  // namespace parley::model
