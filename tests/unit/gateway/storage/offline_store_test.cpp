#include "gateway/storage/offline_store.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/Exception.h>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;
using testing::StorageTest;

class OfflineStoreTest : public StorageTest {
 protected:
  model::Message message_to(const model::Address& to, std::string body) {
    model::Message message;
    message.from = addr("carol@example.com/laptop");
    message.to = to;
    message.type = model::MessageType::chat;
    message.body = std::move(body);
    message.stamp = model::Timestamp(std::chrono::microseconds(1700000000123456));
    return message;
  }

  // Everything set, the way the router would hand it over.
  model::Message full_message() {
    model::Message message;
    message.id = "m-1";
    message.stanza_id = "s-0001";
    message.from = addr("carol@example.com/laptop");
    message.to = addr("alice@example.com/phone");
    message.type = model::MessageType::error;
    message.body = "h\xc3\xa9llo \"quoted\" <b>&amp;</b>\nline two";
    message.subject = "Subject";
    message.thread = "thread-7";
    message.lang = "fr";
    // Microsecond precision survives; 1970 + 54 years and odd microseconds.
    message.stamp = model::Timestamp(std::chrono::microseconds(1702345678901234));
    message.error =
        model::StanzaError{model::ErrorType::cancel, model::ErrorCondition::item_not_found, "gone"};
    message.extensions = {
        {model::Protocol::xmpp, "urn:xmpp:receipts", "request",
         "<request xmlns='urn:xmpp:receipts'/>"},
        {model::Protocol::irc, "irc:ctcp", "ACTION", "waves"},
    };
    return message;
  }
};

TEST_F(OfflineStoreTest, FullMessageRoundTrip) {
  auto& offline = stores().offline;
  const model::Message message = full_message();
  offline.store(message);
  EXPECT_EQ(offline.count(alice_), 1u);  // keyed by to.bare()
  reopen();
  auto taken = stores().offline.take(alice_, 10);
  ASSERT_EQ(taken.size(), 1u);
  const model::Message& got = taken[0];
  EXPECT_EQ(got.id, message.id);
  EXPECT_EQ(got.stanza_id, message.stanza_id);
  EXPECT_EQ(got.from, message.from);
  EXPECT_EQ(got.to, message.to);
  EXPECT_EQ(got.type, message.type);
  EXPECT_EQ(got.body, message.body);
  EXPECT_EQ(got.subject, message.subject);
  EXPECT_EQ(got.thread, message.thread);
  EXPECT_EQ(got.lang, message.lang);
  EXPECT_EQ(got.stamp, message.stamp);
  EXPECT_EQ(got.error, message.error);
  EXPECT_EQ(got.extensions, message.extensions);
  EXPECT_TRUE(got.delayed);  // it came out of offline storage
}

TEST_F(OfflineStoreTest, StampColumnHoldsMicroseconds) {
  stores().offline.store(full_message());
  SQLite::Statement stamp(db().sql(), "SELECT stamp_us FROM offline_messages");
  ASSERT_TRUE(stamp.executeStep());
  EXPECT_EQ(stamp.getColumn(0).getInt64(), 1702345678901234);
}

TEST_F(OfflineStoreTest, TakeIsOldestFirstLimitedAndDeletesWhatItReturns) {
  auto& offline = stores().offline;
  for (int i = 0; i < 5; ++i) offline.store(message_to(alice_, "a" + std::to_string(i)));
  offline.store(message_to(bob_, "b0"));
  EXPECT_EQ(offline.count(alice_), 5u);

  auto first = offline.take(alice_, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].body, "a0");
  EXPECT_EQ(first[1].body, "a1");
  EXPECT_EQ(offline.count(alice_), 3u);

  auto rest = offline.take(alice_, 100);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].body, "a2");
  EXPECT_EQ(rest[2].body, "a4");
  EXPECT_EQ(offline.count(alice_), 0u);
  EXPECT_TRUE(offline.take(alice_, 100).empty());

  // Bob's message is untouched.
  EXPECT_EQ(offline.count(bob_), 1u);
}

TEST_F(OfflineStoreTest, OrderHoldsAfterInterleavedTakes) {
  auto& offline = stores().offline;
  offline.store(message_to(alice_, "1"));
  offline.store(message_to(alice_, "2"));
  ASSERT_EQ(offline.take(alice_, 1).at(0).body, "1");
  offline.store(message_to(alice_, "3"));
  auto rest = offline.take(alice_, 10);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].body, "2");
  EXPECT_EQ(rest[1].body, "3");
}

TEST_F(OfflineStoreTest, LimitZeroTakesNothing) {
  auto& offline = stores().offline;
  offline.store(message_to(alice_, "x"));
  EXPECT_TRUE(offline.take(alice_, 0).empty());
  EXPECT_EQ(offline.count(alice_), 1u);
}

TEST_F(OfflineStoreTest, UnknownRecipientIsRefused) {
  auto& offline = stores().offline;
  EXPECT_THROW(offline.store(message_to(addr("nobody@example.com"), "x")), SQLite::Exception);
  EXPECT_EQ(offline.count(addr("nobody@example.com")), 0u);
}

TEST_F(OfflineStoreTest, ACorruptRowIsSkippedAndDeleted) {
  auto& offline = stores().offline;
  offline.store(message_to(alice_, "before"));
  db().sql().exec(
      "INSERT INTO offline_messages (user, stamp_us, message)"
      " VALUES ('alice@example.com', 0, '{not json')");
  offline.store(message_to(alice_, "after"));
  auto taken = offline.take(alice_, 10);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].body, "before");
  EXPECT_EQ(taken[1].body, "after");
  EXPECT_EQ(offline.count(alice_), 0u);
}

}  // namespace
}  // namespace parley::storage
