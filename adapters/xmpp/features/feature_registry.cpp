// The table of IQ features (feature_registry.hpp): which namespace goes to which handler, and
// what disco#info advertises for the server and for accounts.
#include "adapters/xmpp/features/feature_registry.hpp"

#include "adapters/xmpp/features/bookmarks.hpp"
#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/namespaces.hpp"
#include "adapters/xmpp/mam/mam_handlers.hpp"

namespace parley::xmpp {

FeatureRegistry make_feature_registry(const XmppConfig& config) {
  namespace ns = features::ns;
  FeatureRegistry registry;

  // XEP-0030 §3.1: what the server supports. The roster (RFC 6121) and session (RFC 3921) are
  // part of the core protocol and not advertised; XEP-0160 offline storage and XEP-0359 stanza
  // ids are served by the core's router.
  registry.server_features = {
      std::string(ns::kDiscoInfo), std::string(ns::kDiscoItems), std::string(ns::kPing),
      std::string(ns::kVCard),     std::string(ns::kBlocking),   std::string(ns::kCarbons),
      std::string(ns::kPrivate),   std::string(ns::kVersion),    std::string(ns::kOffline),
      std::string(ns::kStanzaId),
  };
  // XEP-0077 §8: only advertised when new accounts may register.
  if (config.registration_enabled) registry.server_features.emplace_back(ns::kRegister);
  // What the server answers for an account's bare address (XEP-0030 §3.1, XEP-0054 §3.3).
  // XEP-0313 §6.1: the user archive is advertised on the account's bare address.
  // Without user archives (archive.enabled false) urn:xmpp:mam:2 is neither advertised nor
  // handled: a query gets service-unavailable, as for any namespace the server lacks.
  registry.account_features = {std::string(ns::kDiscoInfo), std::string(ns::kDiscoItems),
                               std::string(ns::kVCard)};
  if (config.user_archive_enabled) registry.account_features.emplace_back(ns::kMam);

  auto& iq = registry.iq_handlers;
  iq.emplace(ns::kRoster, features::make_roster_handler());
  iq.emplace(ns::kDiscoInfo, features::make_disco_info_handler(registry.server_features,
                                                               registry.account_features));
  iq.emplace(ns::kDiscoItems, features::make_disco_items_handler());
  // After authentication jabber:iq:register is password change and account removal
  // (XEP-0077 §3.2, §3.3), available whether or not new registrations are.
  iq.emplace(ns::kRegister, features::make_register_handler());
  iq.emplace(ns::kVCard, features::make_vcard_handler());
  iq.emplace(ns::kBlocking, features::make_blocking_handler());
  iq.emplace(ns::kPrivate, features::make_private_handler());
  iq.emplace(ns::kPing, features::make_ping_handler());
  iq.emplace(ns::kCarbons, features::make_carbons_handler());
  iq.emplace(ns::kVersion, features::make_version_handler());
  iq.emplace(ns::kSession, features::make_session_handler());
  if (config.user_archive_enabled) iq.emplace(ns::kMam, mam::make_user_archive_handler());
  iq.emplace(ns::kPubsub, features::make_pep_bookmarks_handler());  // XEP-0402 only

  if (config.registration_enabled) {
    registry.pre_auth_iq_handlers.emplace(ns::kRegister, features::make_register_handler());
  }
  return registry;
}

}  // namespace parley::xmpp
