#pragma once
// StanzaError: the canonical error set of the unified model, the defined conditions of
// RFC 6120 §8.3.3 with the error types of §8.3.2. Every adapter maps its own codes onto these
// (for example SIP 404 <-> item-not-found) in mapping/<protocol>/.
#include <optional>
#include <string>
#include <string_view>

namespace parley::model {

enum class ErrorType { auth, cancel, continue_, modify, wait };

enum class ErrorCondition {
  bad_request,
  conflict,
  feature_not_implemented,
  forbidden,
  gone,
  internal_server_error,
  item_not_found,
  jid_malformed,
  not_acceptable,
  not_allowed,
  not_authorized,
  policy_violation,
  recipient_unavailable,
  redirect,
  registration_required,
  remote_server_not_found,
  remote_server_timeout,
  resource_constraint,
  service_unavailable,
  subscription_required,
  undefined_condition,
  unexpected_request,
};

struct StanzaError {
  ErrorType type = ErrorType::cancel;
  ErrorCondition condition = ErrorCondition::undefined_condition;
  std::string text;  // human-readable, optional

  // An error with the type RFC 6120 §8.3.3 recommends for the condition.
  static StanzaError make(ErrorCondition condition, std::string text = {});
  friend bool operator==(const StanzaError&, const StanzaError&) = default;
};

// The recommended type for each condition (RFC 6120 §8.3.3, e.g. not-authorized -> auth).
ErrorType default_error_type(ErrorCondition condition);
// Wire names as in RFC 6120: "bad-request", "service-unavailable", ...
std::string_view condition_name(ErrorCondition condition);
std::optional<ErrorCondition> condition_from_name(std::string_view name);
std::string_view error_type_name(ErrorType type);  // "auth", "cancel", "continue", ...
std::optional<ErrorType> error_type_from_name(std::string_view name);

}  // namespace parley::model
