#pragma once
// A fake api::Core for the feature tests: in-memory rosters and block lists, every callback run
// inline (the real core calls back from its own threads; the handlers post either way).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/api/core.hpp"

namespace parley::xmpp::test {

class FakeCore : public api::Core {
 public:
  // ---- test controls ----
  std::set<model::Address> accounts;
  std::map<model::Address, std::map<model::Address, model::RosterItem>> rosters;
  std::map<model::Address, std::uint64_t> roster_versions;
  std::map<model::Address, std::vector<model::Address>> block_lists;
  // Returned (once) by the next roster_set/roster_remove/block/unblock instead of succeeding.
  std::optional<model::StanzaError> next_error;
  std::vector<model::RosterItem> roster_set_calls;
  std::vector<model::Address> roster_remove_calls;
  std::vector<std::vector<model::Address>> block_calls;
  std::vector<std::vector<model::Address>> unblock_calls;

  void add_roster_item(const model::Address& user, model::RosterItem item) {
    rosters[user][item.jid] = std::move(item);
    ++roster_versions[user];
  }

  // ---- api::Core ----
  std::optional<model::StanzaError> bind(const api::SessionInfo&,
                                         std::shared_ptr<api::Endpoint>) override {
    return std::nullopt;
  }
  void unbind(const model::Address&, const api::Endpoint*) override {}
  void set_flags(const model::Address&, api::EndpointFlags) override {}
  bool is_bound(const model::Address&) const override { return false; }
  void send_message(model::Message) override {}
  void send_presence(model::Presence) override {}

  void roster_get(const model::Address& user,
                  std::function<void(api::RosterSnapshot)> done) override {
    api::RosterSnapshot snapshot;
    for (const auto& [jid, item] : rosters[user]) snapshot.items.push_back(item);
    snapshot.version = roster_versions[user];
    done(std::move(snapshot));
  }
  void roster_set(const model::Address& user, model::RosterItem item,
                  api::ErrorCallback done) override {
    roster_set_calls.push_back(item);
    if (take_error(done)) return;
    // The subscription state is the server's: keep the stored one.
    auto& roster = rosters[user];
    if (auto it = roster.find(item.jid); it != roster.end()) item.state = it->second.state;
    roster[item.jid] = item;
    ++roster_versions[user];
    done(std::nullopt);
  }
  void roster_remove(const model::Address& user, const model::Address& contact,
                     api::ErrorCallback done) override {
    roster_remove_calls.push_back(contact);
    if (take_error(done)) return;
    if (rosters[user].erase(contact) == 0) {
      done(model::StanzaError::make(model::ErrorCondition::item_not_found));
      return;
    }
    ++roster_versions[user];
    done(std::nullopt);
  }

  void block_list(const model::Address& user,
                  std::function<void(std::vector<model::Address>)> done) override {
    done(block_lists[user]);
  }
  void block(const model::Address& user, std::vector<model::Address> items,
             api::ErrorCallback done) override {
    block_calls.push_back(items);
    if (take_error(done)) return;
    auto& list = block_lists[user];
    list.insert(list.end(), items.begin(), items.end());
    done(std::nullopt);
  }
  void unblock(const model::Address& user, std::vector<model::Address> items,
               api::ErrorCallback done) override {
    unblock_calls.push_back(items);
    if (take_error(done)) return;
    auto& list = block_lists[user];
    if (items.empty()) {
      list.clear();
    } else {
      std::erase_if(list, [&](const model::Address& a) {
        return std::find(items.begin(), items.end(), a) != items.end();
      });
    }
    done(std::nullopt);
  }

  void send_opaque(api::OpaqueDelivery, api::ErrorCallback done) override {
    done(model::StanzaError::make(model::ErrorCondition::service_unavailable));
  }
  bool account_exists(const model::Address& bare) const override {
    return accounts.count(bare) != 0;
  }

 private:
  bool take_error(const api::ErrorCallback& done) {
    if (!next_error) return false;
    auto error = std::move(next_error);
    next_error.reset();
    done(std::move(error));
    return true;
  }
};

}  // namespace parley::xmpp::test
