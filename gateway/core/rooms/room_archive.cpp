// The room archive: history paging (XEP-0313 §4 with XEP-0059 RSM; XCCOS bccontext), full-text
// search (SQLite FTS5 behind RoomStore::search) and retention.
#include <algorithm>
#include <utility>

#include "gateway/core/rooms/room_compliance.hpp"
#include "gateway/core/rooms/room_operations.hpp"

namespace parley::core::rooms::ops {
namespace {

using model::ErrorCondition;

std::vector<MessagePtr> share(std::vector<model::RoomMessage>& messages) {
  std::vector<MessagePtr> shared;
  shared.reserve(messages.size());
  for (auto& message : messages) {
    shared.push_back(std::make_shared<const model::RoomMessage>(std::move(message)));
  }
  return shared;
}

// nullopt for "absent"; an Expected failure when present but not one of our ids.
using OptionalId = std::optional<std::int64_t>;
model::Expected<OptionalId, model::StanzaError> parse_optional_id(
    const std::optional<std::string>& id) {
  if (!id) return OptionalId{};
  auto sequence = model::parse_room_message_id(*id);
  if (!sequence) {
    // XEP-0313 §4.3.2 / XEP-0059 §2.5: an id the archive never had is item-not-found.
    return model::Expected<OptionalId, model::StanzaError>::failure(
        error(ErrorCondition::item_not_found, "no such message"));
  }
  return OptionalId{*sequence};
}

// A room_read event completed with what was actually read (issue 6: "read: a history/context
// fetch"), appended inside the job that read it.
void append_read(const Context& ctx, const EventPtr& event,
                 const std::vector<model::RoomMessage>& messages) {
  if (!event) return;
  api::ComplianceEvent read = *event;
  read.details.emplace_back("count", std::to_string(messages.size()));
  if (!messages.empty()) {
    read.details.emplace_back("first", messages.front().id);
    read.details.emplace_back("last", messages.back().id);
  }
  append_event(ctx, std::make_shared<const api::ComplianceEvent>(std::move(read)));
}

}  // namespace

void history(const Context& ctx, const api::RoomActor& actor, api::HistoryQuery query,
             Done<api::HistoryPage> done) {
  using Result = api::RoomsResult<api::HistoryPage>;
  auto shared_done = std::make_shared<Done<api::HistoryPage>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(Result::failure(std::move(e)));
  };
  auto after = parse_optional_id(query.after_id);
  if (!after) return fail(after.error());
  auto before = parse_optional_id(query.before_id);
  if (!before) return fail(before.error());

  api::HistoryRange range;
  range.room = query.room;
  range.after = *after;
  range.before = *before;
  range.since = query.since;
  range.until = query.until;
  range.limit = std::min(query.limit, ctx->config.max_page);
  range.order = query.order;
  on_room(
      ctx, query.room,
      [ctx, actor, range, shared_done, fail](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::read)) return fail(*denied);
        auto slice = std::make_shared<api::HistorySlice>();
        auto unknown_id = std::make_shared<bool>(false);
        EventFields fields;
        fields.details.emplace_back("query", "history");
        EventPtr event = make_event(ctx, api::ComplianceEventKind::room_read, range.room,
                                    compliance_actor(actor), std::move(fields));
        on_store(
            ctx,
            [ctx, range, slice, unknown_id, event](api::RoomStore& store) {
              for (const auto& id : {range.after, range.before}) {
                if (id && !store.has_message(range.room, *id)) *unknown_id = true;
              }
              if (!*unknown_id) {
                *slice = store.history(range);
                append_read(ctx, event, slice->messages);
              }
            },
            [slice, unknown_id, shared_done, fail](bool committed, const std::string& e) {
              if (!committed) return fail(store_error(e));
              if (*unknown_id)
                return fail(error(ErrorCondition::item_not_found, "no such message"));
              if (*shared_done) {
                (*shared_done)(api::HistoryPage{share(slice->messages), slice->complete});
              }
            });
      },
      fail);
}

void search_messages(const Context& ctx, const api::RoomActor& actor, api::MessageSearch query,
                     Done<std::vector<MessagePtr>> done) {
  using Result = api::RoomsResult<std::vector<MessagePtr>>;
  auto shared_done = std::make_shared<Done<std::vector<MessagePtr>>>(std::move(done));
  auto fail = [shared_done](model::StanzaError e) {
    if (*shared_done) (*shared_done)(Result::failure(std::move(e)));
  };
  if (query.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(error(ErrorCondition::bad_request, "nothing to search for"));
  }
  auto before = parse_optional_id(query.before_id);
  if (!before) return fail(error(ErrorCondition::bad_request, "invalid paging id"));

  api::MessageSearchQuery store_query;
  store_query.terms = {std::move(query.text)};
  store_query.room = query.room;
  store_query.reader = actor.user.bare();
  store_query.all_rooms = actor.admin;
  store_query.before = *before;
  store_query.limit = std::min(query.limit, ctx->config.max_page);
  EventFields fields;
  fields.content = store_query.terms.front();
  fields.details.emplace_back("query", "search");
  EventPtr event = make_event(ctx, api::ComplianceEventKind::room_read, query.room.value_or(""),
                              compliance_actor(actor), std::move(fields));
  auto run = [ctx, store_query, shared_done, fail, event] {
    auto found = std::make_shared<std::vector<model::RoomMessage>>();
    on_store(
        ctx,
        [ctx, store_query, found, event](api::RoomStore& store) {
          *found = store.search(store_query);
          append_read(ctx, event, *found);
        },
        [found, shared_done, fail](bool committed, const std::string& e) {
          if (!committed) return fail(store_error(e));
          if (*shared_done) (*shared_done)(share(*found));
        });
  };
  if (!query.room) return run();  // the store filters by what the reader may read
  // One room: the room's own policy decides (bans, and the secret-room item-not-found).
  on_room(
      ctx, *query.room,
      [actor, run, fail](const std::shared_ptr<RoomState>& state) {
        if (auto denied = authorize(*state, actor, RoomAction::read)) return fail(*denied);
        run();
      },
      fail);
}

void purge_expired(const Context& ctx, std::function<void(std::optional<std::size_t>)> done) {
  const model::Timestamp now = ctx->clock();
  auto purged = std::make_shared<std::size_t>(0);
  on_store(
      ctx, [now, purged](api::RoomStore& store) { *purged = store.purge_expired(now); },
      [purged, done = std::move(done)](bool committed, const std::string&) {
        if (done) done(committed ? std::optional(*purged) : std::nullopt);
      });
}

}  // namespace parley::core::rooms::ops
