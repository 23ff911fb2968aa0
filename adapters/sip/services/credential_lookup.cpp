#include "adapters/sip/services/credential_lookup.hpp"

namespace parley::sip {

void StoreCredentialLookup::lookup(const model::Address& bare,
                                   std::function<void(std::optional<api::DigestCredential>)> done) {
  using Result = std::optional<api::DigestCredential>;
  api::run_on_store<Result>(
      store_,
      [bare](api::Stores& stores) -> Result {
        auto credentials = stores.accounts.credentials(bare);
        if (!credentials || credentials->sip.realm.empty()) return std::nullopt;
        return credentials->sip;
      },
      [done = std::move(done)](std::optional<Result> result) {
        done(result ? std::move(*result) : std::nullopt);
      });
}

}  // namespace parley::sip
