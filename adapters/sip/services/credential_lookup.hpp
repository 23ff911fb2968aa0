#pragma once
// Where the SIP services get an account's digest credential (RFC 3261 §22.4 HA1s). The daemon
// reads the account store on the store executor; tests use a map.
#include <functional>
#include <optional>

#include "gateway/api/store_executor.hpp"
#include "gateway/api/stores.hpp"
#include "mapping/model/address.hpp"

namespace parley::sip {

class CredentialLookup {
 public:
  virtual ~CredentialLookup() = default;
  // `done` gets nullopt for an unknown account or one without a SIP credential (empty realm).
  // It may run on any thread.
  virtual void lookup(const model::Address& bare,
                      std::function<void(std::optional<api::DigestCredential>)> done) = 0;
};

// Reads AccountStore::credentials on the store executor (which must outlive it).
class StoreCredentialLookup final : public CredentialLookup {
 public:
  explicit StoreCredentialLookup(api::StoreExecutor& store) : store_(store) {}
  void lookup(const model::Address& bare,
              std::function<void(std::optional<api::DigestCredential>)> done) override;

 private:
  api::StoreExecutor& store_;
};

}  // namespace parley::sip
