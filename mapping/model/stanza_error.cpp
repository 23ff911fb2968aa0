#include "mapping/model/stanza_error.hpp"

#include <array>

#include "mapping/model/name_table.hpp"

namespace parley::model {
namespace {

struct ConditionRow {
  ErrorCondition condition;
  std::string_view name;
  ErrorType type;  // the type RFC 6120 §8.3.3.x says the condition SHOULD carry
};

// RFC 6120 §8.3.3. Where the RFC allows a choice, the first one it names is used:
// feature-not-implemented "cancel or modify", policy-violation "modify or wait",
// unexpected-request "wait or modify"; undefined-condition allows any type (cancel).
constexpr std::array<ConditionRow, 22> kConditions = {{
    {ErrorCondition::bad_request, "bad-request", ErrorType::modify},  // §8.3.3.1
    {ErrorCondition::conflict, "conflict", ErrorType::cancel},        // §8.3.3.2
    {ErrorCondition::feature_not_implemented, "feature-not-implemented", ErrorType::cancel},
    {ErrorCondition::forbidden, "forbidden", ErrorType::auth},  // §8.3.3.4
    {ErrorCondition::gone, "gone", ErrorType::cancel},          // §8.3.3.5
    {ErrorCondition::internal_server_error, "internal-server-error", ErrorType::cancel},
    {ErrorCondition::item_not_found, "item-not-found", ErrorType::cancel},      // §8.3.3.7
    {ErrorCondition::jid_malformed, "jid-malformed", ErrorType::modify},        // §8.3.3.8
    {ErrorCondition::not_acceptable, "not-acceptable", ErrorType::modify},      // §8.3.3.9
    {ErrorCondition::not_allowed, "not-allowed", ErrorType::cancel},            // §8.3.3.10
    {ErrorCondition::not_authorized, "not-authorized", ErrorType::auth},        // §8.3.3.11
    {ErrorCondition::policy_violation, "policy-violation", ErrorType::modify},  // §8.3.3.12
    {ErrorCondition::recipient_unavailable, "recipient-unavailable", ErrorType::wait},
    {ErrorCondition::redirect, "redirect", ErrorType::modify},  // §8.3.3.14
    {ErrorCondition::registration_required, "registration-required", ErrorType::auth},
    {ErrorCondition::remote_server_not_found, "remote-server-not-found", ErrorType::cancel},
    {ErrorCondition::remote_server_timeout, "remote-server-timeout", ErrorType::wait},
    {ErrorCondition::resource_constraint, "resource-constraint", ErrorType::wait},    // §8.3.3.18
    {ErrorCondition::service_unavailable, "service-unavailable", ErrorType::cancel},  // §8.3.3.19
    {ErrorCondition::subscription_required, "subscription-required", ErrorType::auth},
    {ErrorCondition::undefined_condition, "undefined-condition", ErrorType::cancel},  // §8.3.3.21
    {ErrorCondition::unexpected_request, "unexpected-request", ErrorType::wait},      // §8.3.3.22
}};

// RFC 6120 §8.3.2.
constexpr detail::NameTable<ErrorType, 5> kTypes = {{
    {ErrorType::auth, "auth"},
    {ErrorType::cancel, "cancel"},
    {ErrorType::continue_, "continue"},
    {ErrorType::modify, "modify"},
    {ErrorType::wait, "wait"},
}};

const ConditionRow* find(ErrorCondition c) {
  for (const auto& row : kConditions) {
    if (row.condition == c) return &row;
  }
  return nullptr;
}

}  // namespace

StanzaError StanzaError::make(ErrorCondition condition, std::string text) {
  return StanzaError{default_error_type(condition), condition, std::move(text)};
}

ErrorType default_error_type(ErrorCondition condition) {
  const ConditionRow* row = find(condition);
  return row != nullptr ? row->type : ErrorType::cancel;
}

std::string_view condition_name(ErrorCondition condition) {
  const ConditionRow* row = find(condition);
  return row != nullptr ? row->name : std::string_view("undefined-condition");
}

std::optional<ErrorCondition> condition_from_name(std::string_view name) {
  for (const auto& row : kConditions) {
    if (row.name == name) return row.condition;
  }
  return std::nullopt;
}

std::string_view error_type_name(ErrorType type) {
  return detail::name_of(kTypes, type);
}
std::optional<ErrorType> error_type_from_name(std::string_view name) {
  return detail::value_of(kTypes, name);
}

}  // namespace parley::model
