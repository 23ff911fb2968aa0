// XEP-0280 message carbons.
#include <gtest/gtest.h>

#include "tests/unit/gateway/core/core_harness.hpp"

namespace parley::core::testing {
namespace {

using api::CopyKind;
using model::MessageType;

class CarbonsTest : public CoreHarness {
 protected:
  void SetUp() override {
    create_account("alice@localhost");
    create_account("bob@localhost");
    alice_desk_ = login("alice@localhost/desk", 1, carbons_);
    alice_phone_ = login("alice@localhost/phone", 0, carbons_);
    alice_plain_ = login("alice@localhost/plain", 0);  // carbons not enabled
    bob_top_ = login("bob@localhost/top", 5, carbons_);
    bob_other_ = login("bob@localhost/other", 1, carbons_);
    bob_shy_ = login("bob@localhost/shy", -1, carbons_);
  }
  api::EndpointFlags carbons_{.carbons = true};
  std::shared_ptr<fakes::RecordingEndpoint> alice_desk_, alice_phone_, alice_plain_;
  std::shared_ptr<fakes::RecordingEndpoint> bob_top_, bob_other_, bob_shy_;
};

TEST_F(CarbonsTest, ChatProducesReceivedAndSentCopies) {
  send("alice@localhost/desk", "bob@localhost", "hi");
  ASSERT_EQ(bob_top_->messages().size(), 1u);
  ASSERT_EQ(bob_other_->carbons().size(), 1u);
  EXPECT_EQ(bob_other_->carbons()[0].copy, CopyKind::received);
  EXPECT_EQ(bob_other_->carbons()[0].message->body, "hi");
  ASSERT_EQ(bob_shy_->carbons().size(), 1u);  // interested even with negative priority
  EXPECT_TRUE(bob_top_->carbons().empty());   // got the original
  ASSERT_EQ(alice_phone_->carbons().size(), 1u);
  EXPECT_EQ(alice_phone_->carbons()[0].copy, CopyKind::sent);
  EXPECT_TRUE(alice_desk_->carbons().empty());   // the sender itself
  EXPECT_TRUE(alice_plain_->carbons().empty());  // did not enable carbons
}

TEST_F(CarbonsTest, FullAddressedChatAlsoCopiesToOtherResources) {
  send("alice@localhost/desk", "bob@localhost/other", "hi");
  EXPECT_EQ(bob_other_->messages().size(), 1u);
  ASSERT_EQ(bob_top_->carbons().size(), 1u);
  EXPECT_EQ(bob_top_->carbons()[0].copy, CopyKind::received);
}

TEST_F(CarbonsTest, NormalWithBodyIsCopiedHeadlineIsNot) {
  send("alice@localhost/desk", "bob@localhost", "note", MessageType::normal);
  EXPECT_EQ(bob_other_->carbons().size(), 1u);
  send("alice@localhost/desk", "bob@localhost", "", MessageType::normal);
  EXPECT_EQ(bob_other_->carbons().size(), 1u);
  send("alice@localhost/desk", "bob@localhost", "news", MessageType::headline);
  EXPECT_EQ(bob_other_->carbons().size(), 1u);
  EXPECT_EQ(alice_phone_->carbons().size(), 1u);
}

TEST_F(CarbonsTest, PrivateMessagesAreNotCopied) {
  model::Message message;
  message.from = addr("alice@localhost/desk");
  message.to = addr("bob@localhost");
  message.type = MessageType::chat;
  message.body = "secret";
  message.extensions.push_back({model::Protocol::xmpp, "urn:xmpp:carbons:2", "private", "<x/>"});
  core().send_message(message);
  EXPECT_EQ(bob_top_->messages().size(), 1u);
  EXPECT_TRUE(bob_other_->carbons().empty());
  EXPECT_TRUE(alice_phone_->carbons().empty());
}

TEST_F(CarbonsTest, SentCopiesAlsoWhenTheRecipientIsOffline) {
  create_account("carol@localhost");
  send("alice@localhost/desk", "carol@localhost", "later");
  EXPECT_EQ(stores_.offline.count(addr("carol@localhost")), 1u);
  ASSERT_EQ(alice_phone_->carbons().size(), 1u);
  EXPECT_EQ(alice_phone_->carbons()[0].copy, CopyKind::sent);
}

TEST_F(CarbonsTest, DisablingCarbonsStopsCopies) {
  core().set_flags(addr("bob@localhost/other"), {});
  send("alice@localhost/desk", "bob@localhost", "hi");
  EXPECT_TRUE(bob_other_->carbons().empty());
}

}  // namespace
}  // namespace parley::core::testing
