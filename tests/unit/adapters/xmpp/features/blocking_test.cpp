// XEP-0191 blocking command.
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class BlockingTest : public FeatureTest {
 protected:
  IqHandler handler = features::make_blocking_handler();
};

TEST_F(BlockingTest, GetReturnsListAndMarksInterest) {
  core.block_lists[addr("juliet@example.com")] = {addr("tybalt@example.com"),
                                                  addr("spam.example.org")};
  dispatch(handler, "<iq type='get' id='b1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  const auto* list = result("b1").child("blocklist", "urn:xmpp:blocking");
  ASSERT_NE(list, nullptr);
  const auto items = list->children("item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->attr_or("jid"), "tybalt@example.com");
  EXPECT_EQ(items[1]->attr_or("jid"), "spam.example.org");
  EXPECT_TRUE(session.endpoint_flags.block_list_interested);
}

TEST_F(BlockingTest, BlockPassesItemsToCore) {
  dispatch(handler,
           "<iq type='set' id='b2'><block xmlns='urn:xmpp:blocking'>"
           "<item jid='tybalt@example.com'/><item jid='paris@example.com/court'/></block></iq>");
  result("b2");
  ASSERT_EQ(core.block_calls.size(), 1u);
  EXPECT_EQ(core.block_calls[0], (std::vector<model::Address>{addr("tybalt@example.com"),
                                                              addr("paris@example.com/court")}));
}

TEST_F(BlockingTest, BlockWithoutItemsIsBadRequest) {
  dispatch(handler, "<iq type='set' id='b3'><block xmlns='urn:xmpp:blocking'/></iq>");
  expect_error(ErrorCondition::bad_request, "b3");
  EXPECT_TRUE(core.block_calls.empty());
}

TEST_F(BlockingTest, InvalidJidIsJidMalformed) {
  dispatch(handler,
           "<iq type='set' id='b4'><block xmlns='urn:xmpp:blocking'>"
           "<item jid='a@b@example.com'/></block></iq>");
  expect_error(ErrorCondition::jid_malformed, "b4");
  dispatch(handler,
           "<iq type='set' id='b5'><unblock xmlns='urn:xmpp:blocking'>"
           "<item jid=''/></unblock></iq>");
  expect_error(ErrorCondition::jid_malformed, "b5");
  EXPECT_TRUE(core.block_calls.empty());
  EXPECT_TRUE(core.unblock_calls.empty());
}

TEST_F(BlockingTest, UnblockSomeAndAll) {
  dispatch(handler,
           "<iq type='set' id='b6'><unblock xmlns='urn:xmpp:blocking'>"
           "<item jid='tybalt@example.com'/></unblock></iq>");
  result("b6");
  dispatch(handler, "<iq type='set' id='b7'><unblock xmlns='urn:xmpp:blocking'/></iq>");
  result("b7");
  ASSERT_EQ(core.unblock_calls.size(), 2u);
  EXPECT_EQ(core.unblock_calls[0], std::vector<model::Address>{addr("tybalt@example.com")});
  EXPECT_TRUE(core.unblock_calls[1].empty());  // XEP-0191 §3.4: unblock all
}

TEST_F(BlockingTest, CoreErrorIsForwarded) {
  core.next_error = model::StanzaError::make(ErrorCondition::resource_constraint);
  dispatch(handler,
           "<iq type='set' id='b8'><block xmlns='urn:xmpp:blocking'>"
           "<item jid='tybalt@example.com'/></block></iq>");
  expect_error(ErrorCondition::resource_constraint, "b8");
}

TEST_F(BlockingTest, WrongTypeOrElementIsBadRequest) {
  dispatch(handler, "<iq type='set' id='b9'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  expect_error(ErrorCondition::bad_request, "b9");
  dispatch(handler,
           "<iq type='get' id='b10'><block xmlns='urn:xmpp:blocking'>"
           "<item jid='tybalt@example.com'/></block></iq>");
  expect_error(ErrorCondition::bad_request, "b10");
  EXPECT_TRUE(core.block_calls.empty());
}

TEST_F(BlockingTest, AnotherUsersListIsForbidden) {
  dispatch(handler,
           "<iq type='get' id='b11' to='romeo@example.com'>"
           "<blocklist xmlns='urn:xmpp:blocking'/></iq>");
  expect_error(ErrorCondition::forbidden, "b11");
}

}  // namespace
}  // namespace parley::xmpp::test
