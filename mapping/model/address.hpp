#pragma once
// Address: a user or endpoint identity in the unified model, shaped like a JID
// (local@domain/resource) because XMPP has the richest addressing; other adapters map onto it.
// Always valid once constructed: parse() applies stringprep (RFC 3920 Nodeprep / Nameprep /
// Resourceprep profiles via libidn) and the length limits of RFC 7622 §3.
#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mapping/model/expected.hpp"

namespace parley::model {

class Address {
 public:
  // Parses "local@domain/resource", "domain", "local@domain", "domain/resource".
  // Error text says which part is wrong, e.g. "localpart contains forbidden character '@'".
  static Expected<Address> parse(std::string_view text);
  // Builds from already separated parts (each is prepared and checked like parse()).
  static Expected<Address> from_parts(std::string_view local, std::string_view domain,
                                      std::string_view resource = {});

  Address() = default;  // empty address; only valid as "not set"
  bool empty() const { return domain_.empty(); }

  const std::string& local() const { return local_; }
  const std::string& domain() const { return domain_; }
  const std::string& resource() const { return resource_; }

  bool is_bare() const { return resource_.empty(); }
  bool is_full() const { return !resource_.empty(); }
  Address bare() const;
  // The same bare address with another resource; fails when the resource is invalid.
  Expected<Address> with_resource(std::string_view resource) const;

  std::string to_string() const;    // full form
  std::string bare_string() const;  // local@domain or domain

  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;

 private:
  std::string local_;
  std::string domain_;
  std::string resource_;
};

struct AddressHash {
  std::size_t operator()(const Address& a) const noexcept;
};

}  // namespace parley::model
