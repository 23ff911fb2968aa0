#pragma once
// Fixtures for the rooms service tests: the real SQLite store in a temp file behind the real
// store executor (group commit included), a controllable clock, recording participants, and
// helpers that wait for callbacks with a bounded timeout (never sleep).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/api/room_store.hpp"
#include "gateway/core/rooms/rooms_service.hpp"
#include "gateway/storage/database.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "gateway/storage/store_executor.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::core::rooms::testing {

using storage::testing::addr;
inline constexpr auto kWait = std::chrono::seconds(10);

// A small thread pool standing in for the io_context (the dispatcher of room queues).
class ThreadPool {
 public:
  explicit ThreadPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  Dispatcher dispatcher() {
    return [this](Task task) {
      {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
      }
      wake_.notify_one();
    };
  }

 private:
  void run() {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Records every event; waits on a condition variable with a bound.
class RecordingParticipant final : public api::RoomParticipant {
 public:
  void deliver(api::RoomEvent event) override {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }

  std::vector<api::RoomEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  template <class T>
  std::vector<T> of() const {
    std::vector<T> out;
    for (const auto& e : events()) {
      if (const auto* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }
  template <class T>
  bool wait_for(std::size_t n) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kWait, [&] {
      std::size_t count = 0;
      for (const auto& e : events_) count += std::holds_alternative<T>(e) ? 1 : 0;
      return count >= n;
    });
  }
  std::vector<std::string> message_ids() const {
    std::vector<std::string> ids;
    for (const auto& posted : of<api::RoomMessagePosted>()) ids.push_back(posted.message->id);
    return ids;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<api::RoomEvent> events_;
};

// Turns a callback API into a value, waiting at most kWait.
template <class T>
class Await {
 public:
  std::function<void(T)> callback() {
    return [promise = promise_](T value) { promise->set_value(std::move(value)); };
  }
  T get() {
    auto future = promise_->get_future();
    if (future.wait_for(kWait) != std::future_status::ready) {
      ADD_FAILURE() << "callback not called in time";
      std::abort();  // the callback may still fire later and touch freed memory
    }
    return future.get();
  }

 private:
  std::shared_ptr<std::promise<T>> promise_ = std::make_shared<std::promise<T>>();
};

using ErrorResult = std::optional<model::StanzaError>;

// A fixed clock the tests move by hand.
class TestClock {
 public:
  model::Timestamp now() const {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void advance(std::chrono::microseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  model::Timestamp now_ = model::Timestamp(std::chrono::seconds(1'700'000'000));
};

class RoomsTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void TearDown() override { close(); }

  void open(Dispatcher dispatcher = {}) {
    auto db = storage::testing::open_or_die(path_);
    ASSERT_NE(db, nullptr);
    for (const auto* user : {&alice_, &bob_, &carol_, &dave_}) {
      if (!db->stores().accounts.exists(*user)) {
        ASSERT_TRUE(
            db->stores().accounts.create(*user, storage::testing::fake_credentials(user->local())));
      }
    }
    room_store_ =
        std::make_unique<storage::SqliteRoomStore>(db->sql(), &db->statements(), &db->room_index());
    executor_ = std::make_unique<storage::SqliteStoreExecutor>(std::move(db));
    jobs_ = std::make_unique<api::StoreRoomJobs>(*executor_, *room_store_);
    service_ = std::make_unique<RoomsService>(
        config_, *jobs_, [this] { return clock_.now(); }, std::move(dispatcher));
    Await<bool> loaded;
    service_->load([cb = loaded.callback()](bool ok, const std::string& e) {
      if (!ok) ADD_FAILURE() << e;
      cb(ok);
    });
    ASSERT_TRUE(loaded.get());
  }
  void close() {
    service_.reset();
    if (executor_) executor_->stop();
    executor_.reset();
    jobs_.reset();
    room_store_.reset();
  }
  void reopen(Dispatcher dispatcher = {}) {
    close();
    open(std::move(dispatcher));
  }

  RoomsService& rooms() { return *service_; }

  // ---- synchronous helpers ----
  ErrorResult put_category(model::Category category) {
    Await<ErrorResult> done;
    rooms().put_category(std::move(category), done.callback());
    return done.get();
  }
  void general_category() {
    model::Category general;
    general.name = "general";
    general.creators = {addr("example.com")};
    ASSERT_FALSE(put_category(general));
  }
  api::RoomsResult<std::shared_ptr<const model::Room>> create(
      const model::Address& by, const std::string& id,
      model::RoomPrivacy privacy = model::RoomPrivacy::open,
      model::RoomType type = model::RoomType::normal) {
    api::RoomSettings settings;
    settings.id = id;
    settings.name = "Room " + id;
    settings.category = "general";
    settings.privacy = privacy;
    settings.type = type;
    Await<api::RoomsResult<std::shared_ptr<const model::Room>>> done;
    rooms().create_room(api::RoomActor{by}, settings, done.callback());
    return done.get();
  }
  api::RoomsResult<api::JoinResult> join(const std::string& room, const model::Address& user,
                                         const std::string& nickname,
                                         std::shared_ptr<RecordingParticipant> participant,
                                         api::HistoryRequest history = {}) {
    Await<api::RoomsResult<api::JoinResult>> done;
    rooms().join(api::JoinRequest{room, user, nickname, std::move(participant), history},
                 done.callback());
    return done.get();
  }
  api::RoomsResult<std::shared_ptr<const model::RoomMessage>> post(
      const std::string& room, const api::RoomParticipant* participant, std::string body) {
    Await<api::RoomsResult<std::shared_ptr<const model::RoomMessage>>> done;
    api::PostRequest request;
    request.room = room;
    request.participant = participant;
    request.body = std::move(body);
    rooms().post(std::move(request), done.callback());
    return done.get();
  }
  ErrorResult set_role(const model::Address& by, const std::string& room,
                       const model::Address& user, model::RoomRole role) {
    Await<ErrorResult> done;
    rooms().set_role(api::RoomActor{by}, room, model::RoomMember{user, role}, done.callback());
    return done.get();
  }
  // Waits until every job queued so far has committed and its completion ran.
  void drain_store() {
    Await<bool> done;
    jobs_->submit(
        api::RoomStoreJob{{}, [cb = done.callback()](bool, const std::string&) { cb(true); }});
    done.get();
  }

  static model::ErrorCondition condition(const ErrorResult& e) {
    return e ? e->condition : model::ErrorCondition::undefined_condition;
  }
  template <class T>
  static model::ErrorCondition condition(const api::RoomsResult<T>& r) {
    return r.ok() ? model::ErrorCondition::undefined_condition : r.error().condition;
  }

  storage::testing::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "parley.db";
  RoomsConfig config_;
  TestClock clock_;
  std::unique_ptr<storage::SqliteRoomStore> room_store_;
  std::unique_ptr<storage::SqliteStoreExecutor> executor_;
  std::unique_ptr<api::StoreRoomJobs> jobs_;
  std::unique_ptr<RoomsService> service_;
  model::Address alice_ = addr("alice@example.com");
  model::Address bob_ = addr("bob@example.com");
  model::Address carol_ = addr("carol@example.com");
  model::Address dave_ = addr("dave@example.com");
};

}  // namespace parley::core::rooms::testing
