// XEP-0049 private XML storage.
#include "adapters/xmpp/features/handlers.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class PrivateTest : public FeatureTest {
 protected:
  IqHandler handler = features::make_private_handler();
};

TEST_F(PrivateTest, GetOfNothingStoredReturnsTheEmptyElement) {
  dispatch(handler,
           "<iq type='get' id='p1'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  const auto* query = result("p1").child("query", "jabber:iq:private");
  ASSERT_NE(query, nullptr);
  const auto* storage = query->child("storage", "storage:bookmarks");
  ASSERT_NE(storage, nullptr);
  EXPECT_TRUE(storage->element_children().empty());
}

TEST_F(PrivateTest, SetThenGetRoundTripsPerNameAndNamespace) {
  dispatch(handler,
           "<iq type='set' id='p2'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'><conference jid='room@conf.example.com' "
           "name='Verona'/></storage></query></iq>");
  result("p2");
  EXPECT_EQ(store.private_xml.data.count({addr("juliet@example.com"), "storage storage:bookmarks"}),
            1u);

  dispatch(handler,
           "<iq type='get' id='p3'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  const auto* query = result("p3").child("query", "jabber:iq:private");
  ASSERT_NE(query, nullptr);
  const auto* storage = query->child("storage", "storage:bookmarks");
  ASSERT_NE(storage, nullptr);
  const auto* conference = storage->child("conference");
  ASSERT_NE(conference, nullptr);
  EXPECT_EQ(conference->attr_or("name"), "Verona");

  // Same element name, other namespace: a separate slot.
  dispatch(handler,
           "<iq type='get' id='p4'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:rosternotes'/></query></iq>");
  query = result("p4").child("query", "jabber:iq:private");
  ASSERT_NE(query, nullptr);
  ASSERT_NE(query->child("storage", "storage:rosternotes"), nullptr);
  EXPECT_TRUE(query->child("storage")->element_children().empty());
}

TEST_F(PrivateTest, ReservedNamespacesAreNotAcceptable) {
  for (const char* request :
       {"<iq type='set' id='n1'><query xmlns='jabber:iq:private'><x/></query></iq>",
        "<iq type='set' id='n1'><query xmlns='jabber:iq:private'>"
        "<x xmlns='jabber:client'/></query></iq>",
        "<iq type='get' id='n1'><query xmlns='jabber:iq:private'>"
        "<x xmlns='jabber:server'/></query></iq>"}) {
    dispatch(handler, request);
    expect_error(ErrorCondition::not_acceptable, "n1");
  }
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(PrivateTest, ExactlyOneChild) {
  dispatch(handler, "<iq type='get' id='n2'><query xmlns='jabber:iq:private'/></iq>");
  expect_error(ErrorCondition::not_acceptable, "n2");
  dispatch(handler,
           "<iq type='set' id='n3'><query xmlns='jabber:iq:private'>"
           "<a xmlns='urn:a'/><b xmlns='urn:b'/></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "n3");
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(PrivateTest, AnotherUsersStorageIsForbidden) {
  dispatch(handler,
           "<iq type='get' id='f1' to='romeo@example.com'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  expect_error(ErrorCondition::forbidden, "f1");
  dispatch(handler,
           "<iq type='set' id='f2' to='example.com'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  expect_error(ErrorCondition::forbidden, "f2");
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(PrivateTest, OwnBareAddressIsAccepted) {
  dispatch(handler,
           "<iq type='get' id='o1' to='juliet@example.com'><query xmlns='jabber:iq:private'>"
           "<storage xmlns='storage:bookmarks'/></query></iq>");
  EXPECT_NE(result("o1").child("query", "jabber:iq:private"), nullptr);
}

}  // namespace
}  // namespace parley::xmpp::test
