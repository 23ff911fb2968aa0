// Many threads posting to many rooms at once, room queues on a thread pool, joins in the middle
// of the traffic: every message reaches every participant exactly once, in id order, and a
// late joiner's history plus its live messages are exactly the room's messages.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "tests/unit/gateway/core/rooms/rooms_test_support.hpp"

namespace parley::core::rooms::testing {
namespace {

class RoomsConcurrencyTest : public RoomsTest {
 protected:
  void SetUp() override {
    // Reopen with room queues on the pool: it exists before the service and, as a member of
    // this derived fixture, outlives close() in TearDown.
    RoomsTest::SetUp();
    general_category();
    reopen(pool_.dispatcher());
  }
  void TearDown() override { close(); }

  ThreadPool pool_{3};
};

std::vector<std::int64_t> as_numbers(const std::vector<std::string>& ids) {
  std::vector<std::int64_t> out;
  for (const auto& id : ids) out.push_back(*model::parse_room_message_id(id));
  return out;
}

TEST_F(RoomsConcurrencyTest, ManyRoomsManyThreads) {
  constexpr int kRooms = 16;
  constexpr int kThreads = 8;
  constexpr int kPostsPerThread = 100;  // 800 posts, 50 per room
  std::vector<std::shared_ptr<RecordingParticipant>> listeners, posters, late(kRooms);
  for (int r = 0; r < kRooms; ++r) {
    const std::string id = "room" + std::to_string(r);
    ASSERT_TRUE(create(alice_, id).ok());
    listeners.push_back(std::make_shared<RecordingParticipant>());
    posters.push_back(std::make_shared<RecordingParticipant>());
    ASSERT_TRUE(join(id, bob_, "listener", listeners.back()).ok());
    ASSERT_TRUE(join(id, alice_, "poster", posters.back()).ok());
  }

  std::mutex mutex;
  std::condition_variable all_done;
  int completed = 0;
  int failures = 0;
  std::map<int, std::vector<std::string>> committed;  // room -> ids reported to posters
  std::vector<api::RoomsResult<api::JoinResult>> late_results(
      kRooms, api::RoomsResult<api::JoinResult>::failure({}));
  int late_done = 0;

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPostsPerThread; ++i) {
        const int r = (t * kPostsPerThread + i) % kRooms;
        api::PostRequest request;
        request.room = "room" + std::to_string(r);
        request.participant = posters[r].get();
        request.body = "t" + std::to_string(t) + " i" + std::to_string(i);
        rooms().post(std::move(request),
                     [&, r](api::RoomsResult<std::shared_ptr<const model::RoomMessage>> result) {
                       std::lock_guard lock(mutex);
                       if (result.ok()) {
                         committed[r].push_back((*result)->id);
                       } else {
                         ++failures;
                       }
                       ++completed;
                       all_done.notify_all();
                     });
        // Half-way through, a late joiner per room (history large enough for everything).
        if (t == 0 && i == kPostsPerThread / 2) {
          for (int room = 0; room < kRooms; ++room) {
            late[room] = std::make_shared<RecordingParticipant>();
            api::HistoryRequest history;
            history.max_messages = 200;
            rooms().join(api::JoinRequest{"room" + std::to_string(room), carol_, "late", late[room],
                                          history},
                         [&, room](api::RoomsResult<api::JoinResult> result) {
                           std::lock_guard lock(mutex);
                           late_results[room] = std::move(result);
                           ++late_done;
                           all_done.notify_all();
                         });
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(all_done.wait_for(lock, kWait, [&] {
      return completed == kThreads * kPostsPerThread && late_done == kRooms;
    }));
  }
  EXPECT_EQ(failures, 0);

  std::set<std::string> unique;
  for (int r = 0; r < kRooms; ++r) {
    auto expected = committed[r];
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
      return *model::parse_room_message_id(a) < *model::parse_room_message_id(b);
    });
    ASSERT_EQ(expected.size(), 50u);
    unique.insert(expected.begin(), expected.end());
    // Fan-out precedes the poster's callback, so all deliveries have happened by now.
    EXPECT_EQ(listeners[r]->message_ids(), expected) << "room " << r;
    EXPECT_EQ(posters[r]->message_ids(), expected) << "room " << r;
    auto numbers = as_numbers(listeners[r]->message_ids());
    EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end()));

    ASSERT_TRUE(late_results[r].ok()) << late_results[r].error().text;
    std::vector<std::string> seen;
    for (const auto& m : late_results[r]->history) seen.push_back(m->id);
    const auto live = late[r]->message_ids();
    seen.insert(seen.end(), live.begin(), live.end());
    EXPECT_EQ(seen, expected) << "late joiner of room " << r << ": "
                              << late_results[r]->history.size() << " from history, " << live.size()
                              << " live";
  }
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPostsPerThread));
  // The store batched: fewer transactions than jobs.
  const auto counters = executor_->counters();
  EXPECT_LT(counters.batches, counters.jobs);
}

}  // namespace
}  // namespace parley::core::rooms::testing
