#include "mapping/sip/error_mapping.hpp"

#include <gtest/gtest.h>

namespace parley::mapping::sip {
namespace {

using model::ErrorCondition;

TEST(SipErrorMapping, ConditionsToStatus) {
  const std::pair<ErrorCondition, int> cases[] = {
      {ErrorCondition::item_not_found, 404},          {ErrorCondition::service_unavailable, 503},
      {ErrorCondition::recipient_unavailable, 480},   {ErrorCondition::forbidden, 403},
      {ErrorCondition::not_acceptable, 488},          {ErrorCondition::bad_request, 400},
      {ErrorCondition::feature_not_implemented, 501}, {ErrorCondition::remote_server_timeout, 408},
      {ErrorCondition::resource_constraint, 486},     {ErrorCondition::internal_server_error, 500},
  };
  for (const auto& [condition, status] : cases) {
    EXPECT_EQ(sip_status_for(condition), status) << model::condition_name(condition);
  }
}

TEST(SipErrorMapping, EveryConditionIsAnErrorStatus) {
  for (int i = 0; i <= static_cast<int>(ErrorCondition::unexpected_request); ++i) {
    int status = sip_status_for(static_cast<ErrorCondition>(i));
    EXPECT_GE(status, 300);
    EXPECT_LT(status, 700);
  }
}

TEST(SipErrorMapping, StatusToConditions) {
  const std::pair<int, ErrorCondition> cases[] = {
      {404, ErrorCondition::item_not_found},
      {401, ErrorCondition::not_authorized},
      {407, ErrorCondition::not_authorized},
      {408, ErrorCondition::remote_server_timeout},
      {415, ErrorCondition::not_acceptable},
      {480, ErrorCondition::recipient_unavailable},
      {430, ErrorCondition::recipient_unavailable},
      {503, ErrorCondition::service_unavailable},
      {302, ErrorCondition::redirect},
      {499, ErrorCondition::bad_request},
      {599, ErrorCondition::internal_server_error},
      {699, ErrorCondition::service_unavailable},
  };
  for (const auto& [status, condition] : cases) {
    model::StanzaError e = stanza_error_for_status(status);
    EXPECT_EQ(e.condition, condition) << status;
    EXPECT_EQ(e.type, model::default_error_type(condition));
    EXPECT_NE(e.text.find(std::to_string(status)), std::string::npos);
  }
}

TEST(SipErrorMapping, RoundTripOfTheCommonCodes) {
  for (int status : {400, 403, 404, 405, 408, 480, 488, 501, 503}) {
    EXPECT_EQ(sip_status_for(stanza_error_for_status(status).condition), status);
  }
}

}  // namespace
}  // namespace parley::mapping::sip
