#pragma once
// The IQ features the XMPP adapter serves itself (RFC 6121 roster, XEP-0030 disco, XEP-0077,
// XEP-0054, XEP-0191, XEP-0049, XEP-0199, XEP-0280, XEP-0092, RFC 3921 session), each in its
// own file, collected in one table: the session dispatches an <iq type='get|set'/> addressed to
// the server, to the user's own bare address or to another account's bare address, by the
// namespace of its first child element.
#include <map>
#include <string>
#include <vector>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/xmpp_config.hpp"

namespace parley::xmpp {

struct FeatureRegistry {
  // namespace of the IQ's child -> handler (after resource binding)
  std::map<std::string, IqHandler, std::less<>> iq_handlers;
  // handlers allowed before authentication (XEP-0077 registration over a TLS stream)
  std::map<std::string, IqHandler, std::less<>> pre_auth_iq_handlers;
  // what disco#info on the server advertises (the session adds stream-level ones: sm, ...)
  std::vector<std::string> server_features;
  // what disco#info on an account's bare address advertises
  std::vector<std::string> account_features;
};

FeatureRegistry make_feature_registry(const XmppConfig& config);

}  // namespace parley::xmpp
