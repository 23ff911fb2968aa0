#include "adapters/xmpp/muc/muc_forms.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/xmpp/muc/muc_namespaces.hpp"

namespace parley::xmpp::muc {
namespace {

model::Room sample_room() {
  model::Room room;
  room.id = "team";
  room.name = "Team";
  room.description = "The team";
  room.topic = "Plans";
  room.category = "general";
  return room;
}

wire::XmlElement submit(std::vector<std::pair<std::string, std::string>> fields) {
  wire::XmlElement form("x", std::string(ns::kData));
  form.set_attr("type", "submit");
  auto& type = form.add_child("field");
  type.set_attr("var", "FORM_TYPE");
  type.add_child("value").set_text(std::string(ns::kRoomConfig));
  for (auto& [var, value] : fields) {
    auto& field = form.add_child("field");
    field.set_attr("var", var);
    field.add_child("value").set_text(value);
  }
  return form;
}

TEST(MucForms, ConfigFormShowsTheCurrentValues) {
  model::Room room = sample_room();
  room.privacy = model::RoomPrivacy::closed;
  room.type = model::RoomType::auditorium;
  auto form = room_config_form(room, {{"general", "General", {}, true, true, {}}});
  EXPECT_EQ(form.attr_or("type"), "form");
  EXPECT_EQ(form_value(form, "FORM_TYPE"), ns::kRoomConfig);
  EXPECT_EQ(form_value(form, "muc#roomconfig_roomname"), "Team");
  EXPECT_EQ(form_value(form, "muc#roomconfig_publicroom"), "1");
  EXPECT_EQ(form_value(form, "muc#roomconfig_membersonly"), "1");
  EXPECT_EQ(form_value(form, "muc#roomconfig_moderatedroom"), "1");
  EXPECT_EQ(form_value(form, "muc#roomconfig_persistentroom"), "1");
  EXPECT_EQ(form_value(form, "parley#category"), "general");
}

TEST(MucForms, SubmittedPrivacyCombinesPublicAndMembersOnly) {
  const model::Room open = sample_room();
  auto secret = settings_from_config_form(submit({{"muc#roomconfig_publicroom", "0"}}), open);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->privacy, model::RoomPrivacy::secret);
  auto closed = settings_from_config_form(submit({{"muc#roomconfig_membersonly", "true"}}), open);
  EXPECT_EQ(closed->privacy, model::RoomPrivacy::closed);
  auto untouched = settings_from_config_form(submit({{"muc#roomconfig_roomname", "X"}}), open);
  EXPECT_FALSE(untouched->privacy);
  EXPECT_EQ(untouched->name, "X");
  EXPECT_FALSE(untouched->description);
  auto auditorium =
      settings_from_config_form(submit({{"muc#roomconfig_moderatedroom", "1"}}), open);
  EXPECT_EQ(auditorium->type, model::RoomType::auditorium);
}

TEST(MucForms, BadSubmissionsAreRejected) {
  const model::Room room = sample_room();
  auto bad = settings_from_config_form(submit({{"muc#roomconfig_publicroom", "maybe"}}), room);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().condition, model::ErrorCondition::bad_request);
  auto temporary =
      settings_from_config_form(submit({{"muc#roomconfig_persistentroom", "0"}}), room);
  ASSERT_FALSE(temporary);
  EXPECT_EQ(temporary.error().condition, model::ErrorCondition::not_acceptable);
}

TEST(MucForms, RoomFeaturesFollowPrivacyAndType) {
  model::Room room = sample_room();
  auto has = [](const std::vector<std::string_view>& features, std::string_view f) {
    return std::find(features.begin(), features.end(), f) != features.end();
  };
  auto open = room_features(room);
  EXPECT_TRUE(has(open, "muc_open"));
  EXPECT_TRUE(has(open, "muc_public"));
  EXPECT_TRUE(has(open, "muc_unmoderated"));
  EXPECT_TRUE(has(open, "muc_persistent"));
  EXPECT_TRUE(has(open, "muc_nonanonymous"));
  EXPECT_TRUE(has(open, "urn:xmpp:mam:2"));
  room.privacy = model::RoomPrivacy::secret;
  room.type = model::RoomType::auditorium;
  auto secret = room_features(room);
  EXPECT_TRUE(has(secret, "muc_membersonly"));
  EXPECT_TRUE(has(secret, "muc_hidden"));
  EXPECT_TRUE(has(secret, "muc_moderated"));
}

TEST(MucForms, RoomInfoForm) {
  auto room = std::make_shared<const model::Room>(sample_room());
  auto form = room_info_form(api::RoomInfo{room, model::RoomRole::none, 3});
  EXPECT_EQ(form_value(form, "FORM_TYPE"), ns::kRoomInfo);
  EXPECT_EQ(form_value(form, "muc#roominfo_description"), "The team");
  EXPECT_EQ(form_value(form, "muc#roominfo_subject"), "Plans");
  EXPECT_EQ(form_value(form, "muc#roominfo_occupants"), "3");
}

TEST(MucForms, SearchFormAndResults) {
  wire::XmlElement form("x", std::string(ns::kData));
  auto& text = form.add_child("field");
  text.set_attr("var", "text");
  text.add_child("value").set_text("tea");
  auto search = search_from_form(form);
  EXPECT_EQ(search.text, "tea");
  EXPECT_FALSE(search.category);

  auto results = search_results({std::make_shared<const model::Room>(sample_room())},
                                "conference.example.com");
  EXPECT_EQ(results.attr_or("type"), "result");
  ASSERT_NE(results.child("reported"), nullptr);
  const auto items = results.children("item");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(form_value(*items[0], "jid"), "team@conference.example.com");
  EXPECT_EQ(form_value(*items[0], "name"), "Team");
}

}  // namespace
}  // namespace parley::xmpp::muc
