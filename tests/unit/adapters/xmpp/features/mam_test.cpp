// XEP-0313 handlers: query parsing (forms, RSM), the form, result messages and the fin, for the
// user archive and for room archives.
#include "adapters/xmpp/mam/mam_codec.hpp"
#include "adapters/xmpp/mam/mam_handlers.hpp"
#include "mapping/xmpp/datetime.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

std::shared_ptr<const model::Message> archived(int i) {
  auto m = std::make_shared<model::Message>();
  m->from = addr("romeo@example.com/garden");
  m->to = addr("juliet@example.com");
  m->type = model::MessageType::chat;
  m->body = "line " + std::to_string(i);
  m->stanza_id = "id" + std::to_string(i);
  m->stamp = *mapping::xmpp::parse_datetime("2026-01-02T03:04:0" + std::to_string(i) + "Z");
  return m;
}

class MamTest : public FeatureTest {
 protected:
  IqHandler handler = mam::make_user_archive_handler();
};

TEST(MamCodecTest, ParsesFormAndRsm) {
  auto query =
      xml("<query xmlns='urn:xmpp:mam:2' queryid='q1'>"
          "<x xmlns='jabber:x:data' type='submit'>"
          "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
          "<field var='with'><value>romeo@example.com</value></field>"
          "<field var='start'><value>2026-01-01T00:00:00Z</value></field>"
          "<field var='end'><value>2026-02-01T00:00:00Z</value></field></x>"
          "<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><after>abc</after></set>"
          "</query>");
  auto parsed = mam::parse_query(query);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->query_id, "q1");
  ASSERT_TRUE(parsed->with);
  EXPECT_EQ(parsed->with->to_string(), "romeo@example.com");
  EXPECT_EQ(parsed->start, mapping::xmpp::parse_datetime("2026-01-01T00:00:00Z"));
  EXPECT_EQ(parsed->end, mapping::xmpp::parse_datetime("2026-02-01T00:00:00Z"));
  EXPECT_EQ(parsed->max, 10u);
  EXPECT_EQ(parsed->after_id, "abc");
  EXPECT_EQ(parsed->order, model::HistoryOrder::oldest_first);
}

TEST(MamCodecTest, EmptyBeforeAsksForTheLastPage) {
  auto parsed = mam::parse_query(
      xml("<query xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>"
          "<max>5</max><before/></set></query>"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->order, model::HistoryOrder::newest_first);
  EXPECT_FALSE(parsed->before_id);
  EXPECT_EQ(parsed->max, 5u);
  auto with_id = mam::parse_query(
      xml("<query xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>"
          "<before>x9</before></set></query>"));
  ASSERT_TRUE(with_id.ok());
  EXPECT_EQ(with_id->before_id, "x9");
  EXPECT_EQ(with_id->max, mam::kDefaultPageSize);
}

TEST(MamCodecTest, RejectsBadInput) {
  const char* bad_requests[] = {
      "<query xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'><max>-1</max>"
      "</set></query>",
      "<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='start'><value>yesterday</value></field></x></query>",
      "<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='FORM_TYPE'><value>urn:other</value></field></x></query>",
      "<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='with'><value>@@</value></field></x></query>",
  };
  for (const char* text : bad_requests) {
    auto parsed = mam::parse_query(xml(text));
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().condition, ErrorCondition::bad_request) << text;
  }
  auto unknown =
      mam::parse_query(xml("<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'>"
                           "<field var='fulltext'><value>x</value></field></x></query>"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().condition, ErrorCondition::feature_not_implemented);
}

TEST_F(MamTest, GetReturnsTheForm) {
  dispatch(handler, "<iq type='get' id='f1'><query xmlns='urn:xmpp:mam:2'/></iq>");
  const auto* query = result("f1").child("query", "urn:xmpp:mam:2");
  ASSERT_NE(query, nullptr);
  const auto* form = query->child("x", "jabber:x:data");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->attr_or("type"), "form");
  std::vector<std::string> vars;
  for (const auto* f : form->children("field")) vars.push_back(f->attr_or("var"));
  EXPECT_EQ(vars, (std::vector<std::string>{"FORM_TYPE", "with", "start", "end"}));
}

TEST_F(MamTest, SetSendsResultsThenFin) {
  session.archive_service.page.messages = {{"id1", archived(1)}, {"id2", archived(2)}};
  session.archive_service.page.complete = false;
  // Not dispatch(): a page is several stanzas (results, then the IQ result).
  handler(session, xml("<iq type='set' id='q1'><query xmlns='urn:xmpp:mam:2' queryid='abc'>"
                       "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max>"
                       "<after>id0</after></set></query></iq>"));
  session.run_posted();
  ASSERT_EQ(session.archive_service.queries.size(), 1u);
  const auto& q = session.archive_service.queries[0];
  EXPECT_EQ(q.owner.to_string(), "juliet@example.com");
  EXPECT_EQ(q.limit, 2u);
  EXPECT_EQ(q.after_id, "id0");

  ASSERT_EQ(session.sent.size(), 3u);
  const auto& first = session.sent[0];
  EXPECT_EQ(first.name(), "message");
  EXPECT_EQ(first.attr_or("to"), "juliet@example.com/balcony");
  const auto* res = first.child("result", "urn:xmpp:mam:2");
  ASSERT_NE(res, nullptr);
  EXPECT_EQ(res->attr_or("queryid"), "abc");
  EXPECT_EQ(res->attr_or("id"), "id1");
  const auto* forwarded = res->child("forwarded", "urn:xmpp:forward:0");
  ASSERT_NE(forwarded, nullptr);
  const auto* delay = forwarded->child("delay", "urn:xmpp:delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attr_or("stamp"), "2026-01-02T03:04:01Z");
  const auto* inner = forwarded->child("message", "jabber:client");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->attr_or("from"), "romeo@example.com/garden");
  EXPECT_EQ(inner->child_text("body"), "line 1");

  EXPECT_TRUE(session.errors.empty());
  const auto& fin_iq = session.sent[2];
  EXPECT_EQ(fin_iq.attr_or("type"), "result");
  EXPECT_EQ(fin_iq.attr_or("id"), "q1");
  const auto* fin = fin_iq.child("fin", "urn:xmpp:mam:2");
  ASSERT_NE(fin, nullptr);
  EXPECT_EQ(fin->attr_or("complete"), "false");
  const auto* set = fin->child("set", "http://jabber.org/protocol/rsm");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->child_text("first"), "id1");
  EXPECT_EQ(set->child_text("last"), "id2");
}

TEST_F(MamTest, EmptyArchiveIsCompleteWithEmptySet) {
  dispatch(handler, "<iq type='set' id='q2'><query xmlns='urn:xmpp:mam:2'/></iq>");
  const auto* fin = result("q2").child("fin", "urn:xmpp:mam:2");
  ASSERT_NE(fin, nullptr);
  EXPECT_EQ(fin->attr_or("complete"), "true");
  const auto* set = fin->child("set", "http://jabber.org/protocol/rsm");
  ASSERT_NE(set, nullptr);
  EXPECT_TRUE(set->element_children().empty());
}

TEST_F(MamTest, ArchiveErrorsBecomeIqErrors) {
  session.archive_service.error = model::StanzaError::make(ErrorCondition::item_not_found);
  dispatch(handler,
           "<iq type='set' id='q3'><query xmlns='urn:xmpp:mam:2'>"
           "<set xmlns='http://jabber.org/protocol/rsm'><after>gone</after></set></query></iq>");
  expect_error(ErrorCondition::item_not_found, "q3");
}

TEST_F(MamTest, SomeoneElsesArchiveIsForbidden) {
  dispatch(handler,
           "<iq type='set' id='q4' to='romeo@example.com'><query xmlns='urn:xmpp:mam:2'/></iq>");
  expect_error(ErrorCondition::forbidden, "q4");
  EXPECT_TRUE(session.archive_service.queries.empty());
}

TEST_F(MamTest, RoomQueryUsesHistoryWithTheUserAsActor) {
  auto message = std::make_shared<model::RoomMessage>();
  message->id = "17";
  message->room = "lobby";
  message->from_user = addr("romeo@example.com");
  message->nickname = "romeo";
  message->body = "hi all";
  message->stamp = *mapping::xmpp::parse_datetime("2026-01-02T03:04:05Z");
  session.rooms_service.history_page.messages = {message};
  const auto room = addr("lobby@conference.example.com");
  const auto iq =
      xml("<iq type='set' id='r1' to='lobby@conference.example.com'>"
          "<query xmlns='urn:xmpp:mam:2' queryid='rq'><set xmlns='http://jabber.org/protocol/rsm'>"
          "<max>20</max><before/></set></query></iq>");
  mam::handle_room_archive_query(session, "lobby", room, iq);
  session.run_posted();
  ASSERT_EQ(session.rooms_service.history_queries.size(), 1u);
  const auto& hq = session.rooms_service.history_queries[0];
  EXPECT_EQ(hq.room, "lobby");
  EXPECT_EQ(hq.limit, 20u);
  EXPECT_EQ(hq.order, model::HistoryOrder::newest_first);
  EXPECT_EQ(session.rooms_service.history_actors[0].user.to_string(), "juliet@example.com");
  EXPECT_FALSE(session.rooms_service.history_actors[0].admin);

  ASSERT_EQ(session.sent.size(), 2u);
  EXPECT_EQ(session.sent[0].attr_or("from"), "lobby@conference.example.com");
  const auto* res = session.sent[0].child("result", "urn:xmpp:mam:2");
  ASSERT_NE(res, nullptr);
  EXPECT_EQ(res->attr_or("id"), "17");
  const auto* inner = res->child("forwarded", "urn:xmpp:forward:0")->child("message");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->attr_or("from"), "lobby@conference.example.com/romeo");
  EXPECT_EQ(inner->attr_or("type"), "groupchat");
  EXPECT_EQ(inner->child_text("body"), "hi all");
  EXPECT_EQ(session.sent[1].attr_or("type"), "result");
  EXPECT_EQ(session.sent[1].attr_or("from"), "lobby@conference.example.com");
  EXPECT_NE(session.sent[1].child("fin", "urn:xmpp:mam:2"), nullptr);
}

TEST_F(MamTest, RoomErrorsPassThrough) {
  session.rooms_service.history_error = model::StanzaError::make(ErrorCondition::forbidden);
  const auto iq =
      xml("<iq type='set' id='r2' to='secret@conference.example.com'>"
          "<query xmlns='urn:xmpp:mam:2'/></iq>");
  mam::handle_room_archive_query(session, "secret", addr("secret@conference.example.com"), iq);
  session.run_posted();
  ASSERT_EQ(session.errors.size(), 1u);
  EXPECT_EQ(session.errors[0].error.condition, ErrorCondition::forbidden);
  EXPECT_TRUE(session.sent.empty());
}

}  // namespace
}  // namespace parley::xmpp::test
