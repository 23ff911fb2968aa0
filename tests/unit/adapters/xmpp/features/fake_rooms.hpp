#pragma once
// Fakes of the rooms service and the message archive for the feature tests: both answer
// inline (on the calling thread), keep just enough state for bookmarks and MAM, and record
// the requests they got.
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/message_archive.hpp"
#include "gateway/api/rooms.hpp"

namespace parley::xmpp::test {

class FakeRooms final : public api::Rooms {
 public:
  // ---- test controls ----
  std::set<std::string> existing;                        // room ids that may be followed
  std::map<std::string, std::set<std::string>> follows;  // bare user -> room ids
  std::vector<api::HistoryQuery> history_queries;
  std::vector<api::RoomActor> history_actors;
  std::optional<model::StanzaError> history_error;
  api::HistoryPage history_page;

  template <class T>
  static api::RoomsResult<T> unsupported() {
    return api::RoomsResult<T>::failure(
        model::StanzaError::make(model::ErrorCondition::feature_not_implemented));
  }
  static std::optional<model::StanzaError> unsupported_error() {
    return model::StanzaError::make(model::ErrorCondition::feature_not_implemented);
  }

  // ---- api::Rooms ----
  void join(api::JoinRequest, api::RoomsCallback<api::JoinResult> done) override {
    done(unsupported<api::JoinResult>());
  }
  void leave(const std::string&, const api::RoomParticipant*) override {}
  void leave_all(const api::RoomParticipant*) override {}
  void post(api::PostRequest,
            api::RoomsCallback<std::shared_ptr<const model::RoomMessage>> done) override {
    done(unsupported<std::shared_ptr<const model::RoomMessage>>());
  }
  void set_topic(const api::RoomActor&, const std::string&, std::string,
                 api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void create_room(const api::RoomActor&, api::RoomSettings,
                   api::RoomsCallback<std::shared_ptr<const model::Room>> done) override {
    done(unsupported<std::shared_ptr<const model::Room>>());
  }
  void modify_room(const api::RoomActor&, const std::string&, api::RoomSettings,
                   api::RoomsCallback<std::shared_ptr<const model::Room>> done) override {
    done(unsupported<std::shared_ptr<const model::Room>>());
  }
  void delete_room(const api::RoomActor&, const std::string&, std::string,
                   api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void room_info(const api::RoomActor&, const std::string&,
                 api::RoomsCallback<api::RoomInfo> done) override {
    done(unsupported<api::RoomInfo>());
  }
  void search_rooms(
      const api::RoomActor&, api::RoomSearch,
      api::RoomsCallback<std::vector<std::shared_ptr<const model::Room>>> done) override {
    done(unsupported<std::vector<std::shared_ptr<const model::Room>>>());
  }
  void categories(std::function<void(std::vector<model::Category>)> done) override { done({}); }
  void set_role(const api::RoomActor&, const std::string&, model::RoomMember,
                api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void members(const api::RoomActor&, const std::string&,
               api::RoomsCallback<std::vector<model::RoomMember>> done) override {
    done(unsupported<std::vector<model::RoomMember>>());
  }
  void associations(const model::Address&,
                    std::function<void(std::vector<api::Association>)> done) override {
    done({});
  }
  void kick(const api::RoomActor&, const std::string&, const std::string&, std::string,
            api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void ban(const api::RoomActor&, const std::string&, const model::Address&, std::string,
           api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void unban(const api::RoomActor&, const std::string&, const model::Address&,
             api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void history(const api::RoomActor& actor, api::HistoryQuery query,
               api::RoomsCallback<api::HistoryPage> done) override {
    history_actors.push_back(actor);
    history_queries.push_back(query);
    if (history_error) {
      done(api::RoomsResult<api::HistoryPage>::failure(*history_error));
    } else {
      done(history_page);
    }
  }
  void search_messages(
      const api::RoomActor&, api::MessageSearch,
      api::RoomsCallback<std::vector<std::shared_ptr<const model::RoomMessage>>> done) override {
    done(unsupported<std::vector<std::shared_ptr<const model::RoomMessage>>>());
  }
  void invite(const api::RoomActor&, const std::string&, const model::Address&, std::string,
              api::ErrorCallback done) override {
    done(unsupported_error());
  }
  void invitations(const model::Address&, bool,
                   std::function<void(std::vector<model::Invitation>)> done) override {
    done({});
  }
  void mark_invitations_seen(const model::Address&, const std::string&,
                             api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void follow(const api::RoomActor& actor, const std::string& room,
              api::ErrorCallback done) override {
    if (!existing.count(room)) {
      done(model::StanzaError::make(model::ErrorCondition::item_not_found));
      return;
    }
    follows[actor.user.bare_string()].insert(room);
    done(std::nullopt);
  }
  void unfollow(const api::RoomActor& actor, const std::string& room,
                api::ErrorCallback done) override {
    follows[actor.user.bare_string()].erase(room);
    done(std::nullopt);
  }
  void followed(const model::Address& user,
                std::function<void(std::vector<api::FollowedRoom>)> done) override {
    std::vector<api::FollowedRoom> rooms;
    for (const auto& id : follows[user.bare_string()]) {
      auto room = std::make_shared<model::Room>();
      room->id = id;
      room->name = "Room " + id;
      rooms.push_back(api::FollowedRoom{room, std::nullopt, 0});
    }
    done(std::move(rooms));
  }
  void mark_read(const api::RoomActor&, const std::string&, const std::string&,
                 api::ErrorCallback done) override {
    done(std::nullopt);
  }
  void watch(const model::Address&, std::weak_ptr<api::RoomParticipant>) override {}
  void unwatch(const model::Address&, const api::RoomParticipant*) override {}
};

class FakeArchive final : public api::MessageArchive {
 public:
  std::vector<std::shared_ptr<const model::Message>> recorded;
  std::vector<api::ArchiveQuery> queries;
  std::optional<model::StanzaError> error;
  api::ArchivePage page;
  std::atomic<bool> backlog{false};  // what backlogged() says (read by the sessions' threads)

  void record(std::shared_ptr<const model::Message> message) override {
    recorded.push_back(std::move(message));
  }
  bool backlogged() const override { return backlog.load(); }
  void query(
      api::ArchiveQuery query,
      std::function<void(model::Expected<api::ArchivePage, model::StanzaError>)> done) override {
    queries.push_back(query);
    if (error) {
      done(model::Expected<api::ArchivePage, model::StanzaError>::failure(*error));
    } else {
      done(page);
    }
  }
};

}  // namespace parley::xmpp::test
