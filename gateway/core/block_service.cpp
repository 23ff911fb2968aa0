#include "gateway/core/block_service.hpp"

#include <set>

#include "gateway/core/fanout.hpp"

namespace parley::core {
namespace {

using model::ErrorCondition;
using model::StanzaError;

struct BlockOutcome {
  std::vector<model::Address> list;          // the whole list after the change
  std::vector<model::Address> changed;       // what was blocked / unblocked
  std::vector<model::Address> may_see_user;  // unblocked contacts with from/both
  std::vector<model::Address> user_may_see;  // unblocked contacts with to/both
};

// Endpoints of local accounts an item refers to (a domain item reaches nobody in particular).
std::vector<EndpointView> endpoints_matching(CoreContext& ctx, const model::Address& item) {
  if (item.local().empty() || !ctx.is_local(item)) return {};
  if (item.is_full()) {
    auto view = ctx.endpoints.find(item);
    return view && view->available ? std::vector<EndpointView>{*view} : std::vector<EndpointView>{};
  }
  return ctx.endpoints.available_of(item);
}

}  // namespace

void BlockService::list(const model::Address& user,
                        std::function<void(std::vector<model::Address>)> done) {
  const model::Address bare = user.bare();
  if (ctx_.blocks.settled({bare})) {
    if (auto items = ctx_.blocks.get(bare)) {
      if (done) done(std::move(*items));
      return;
    }
  }
  ctx_.blocks.hold({bare});
  ctx_.run<std::vector<model::Address>>(
      [bare](api::Stores& stores) { return stores.blocks.list(bare); },
      [this, bare, done = std::move(done)](std::optional<std::vector<model::Address>> items) {
        if (items) ctx_.blocks.set(bare, *items);
        ctx_.blocks.release({bare});
        if (done) done(items ? std::move(*items) : std::vector<model::Address>{});
      });
}

void BlockService::warm(const model::Address& user) {
  const model::Address bare = user.bare();
  if (ctx_.blocks.settled({bare})) return;
  list(bare, nullptr);
}

void BlockService::block(const model::Address& user, std::vector<model::Address> items,
                         api::ErrorCallback done) {
  if (items.empty()) {  // XEP-0191 §3.3: a block without items is a bad request
    if (done) done(StanzaError::make(ErrorCondition::bad_request));
    return;
  }
  const model::Address bare = user.bare();
  ctx_.blocks.hold({bare});
  ctx_.run<BlockOutcome>(
      [bare, items](api::Stores& stores) {
        stores.blocks.add(bare, items);
        return BlockOutcome{stores.blocks.list(bare), items, {}, {}};
      },
      [this, bare, done = std::move(done)](std::optional<BlockOutcome> out) {
        if (!out) {
          ctx_.blocks.release({bare});
          if (done) done(StanzaError::make(ErrorCondition::internal_server_error));
          return;
        }
        ctx_.blocks.set(bare, out->list);
        ctx_.blocks.release({bare});
        for (const auto& view : ctx_.endpoints.endpoints_of(bare))
          if (view.flags.block_list_interested)
            view.endpoint->deliver(api::BlockListPush{true, out->changed});
        // §3.3: the blocked contacts see the user go offline.
        for (const auto& item : out->changed)
          send_unavailable_of(ctx_, bare, endpoints_matching(ctx_, item));
        if (done) done(std::nullopt);
      });
}

void BlockService::unblock(const model::Address& user, std::vector<model::Address> items,
                           api::ErrorCallback done) {
  const model::Address bare = user.bare();
  auto directory = ctx_.directory.snapshot();
  ctx_.blocks.hold({bare});
  ctx_.run<BlockOutcome>(
      [bare, items, directory](api::Stores& stores) {
        BlockOutcome out;
        if (items.empty()) {  // §3.5: unblock everything
          out.changed = stores.blocks.list(bare);
          stores.blocks.clear(bare);
        } else {
          out.changed = items;
          stores.blocks.remove(bare, items);
        }
        out.list = stores.blocks.list(bare);
        // §3.4: presence flows again where the roster allows it.
        std::set<model::Address> contacts;
        for (const auto& item : out.changed)
          if (!item.local().empty()) contacts.insert(item.bare());
        for (const auto& contact : contacts) {
          auto roster_item = stores.rosters.item(bare, contact);
          const bool colleague = directory->are_colleagues(bare, contact);
          if (colleague || (roster_item && has_from(roster_item->state)))
            out.may_see_user.push_back(contact);
          if (colleague || (roster_item && has_to(roster_item->state)))
            out.user_may_see.push_back(contact);
        }
        return out;
      },
      [this, bare, items, done = std::move(done)](std::optional<BlockOutcome> out) {
        if (!out) {
          ctx_.blocks.release({bare});
          if (done) done(StanzaError::make(ErrorCondition::internal_server_error));
          return;
        }
        ctx_.blocks.set(bare, out->list);
        ctx_.blocks.release({bare});
        for (const auto& view : ctx_.endpoints.endpoints_of(bare))
          if (view.flags.block_list_interested)
            view.endpoint->deliver(api::BlockListPush{false, items});
        for (const auto& contact : out->may_see_user)
          if (!ctx_.blocks.blocks(contact, bare))
            send_presences_of(ctx_, bare, ctx_.endpoints.available_of(contact));
        const auto mine = ctx_.endpoints.available_of(bare);
        for (const auto& contact : out->user_may_see)
          if (!ctx_.blocks.blocks(contact, bare)) send_presences_of(ctx_, contact, mine);
        if (done) done(std::nullopt);
      });
}

}  // namespace parley::core
