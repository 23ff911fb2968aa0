// StatementCache: one prepared statement per SQL text, handed out clean each time.
#include "gateway/storage/statement_cache.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

class StatementCacheTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    db().sql().exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
  }
  int count() {
    SQLite::Statement q(db().sql(), "SELECT count(*) FROM t");
    q.executeStep();
    return q.getColumn(0).getInt();
  }
};

TEST_F(StatementCacheTest, TheSameStatementIsReusedResetAndUnbound) {
  StatementCache& cache = db().statements();
  const std::string insert = "INSERT INTO t (k, v) VALUES (?1, ?2)";
  SQLite::Statement& first = cache.get(insert);
  first.bind(1, 1);
  first.bind(2, "one");
  first.exec();
  SQLite::Statement& second = cache.get(insert);
  EXPECT_EQ(&first, &second);  // prepared once
  second.bind(1, 2);
  // ?2 left unbound: the previous "one" must not leak into this row.
  second.exec();
  EXPECT_EQ(count(), 2);
  SQLite::Statement v(db().sql(), "SELECT v FROM t WHERE k = 2");
  ASSERT_TRUE(v.executeStep());
  EXPECT_TRUE(v.getColumn(0).isNull());
  EXPECT_NE(&cache.get("SELECT v FROM t"), &first);  // another text, another statement
}

TEST_F(StatementCacheTest, AStatementThatFailedIsUsableAgain) {
  StatementCache& cache = db().statements();
  const std::string insert = "INSERT INTO t (k, v) VALUES (?1, ?2)";
  cache.get(insert).bind(1, 7);
  cache.get(insert);  // bindings cleared
  SQLite::Statement& again = cache.get(insert);
  again.bind(1, 7);
  again.bind(2, "x");
  again.exec();
  SQLite::Statement& duplicate = cache.get(insert);
  duplicate.bind(1, 7);  // primary key taken
  EXPECT_THROW(duplicate.exec(), SQLite::Exception);
  SQLite::Statement& next = cache.get(insert);
  next.bind(1, 8);
  next.bind(2, "y");
  EXPECT_NO_THROW(next.exec());
  EXPECT_EQ(count(), 2);
}

}  // namespace
}  // namespace parley::storage
