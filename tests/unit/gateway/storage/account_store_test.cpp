#include "gateway/storage/account_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::storage {
namespace {

using testing::addr;
using testing::fake_credentials;
using testing::StorageTest;

// RFC 5802 §3 key derivation, done here with OpenSSL so the test does not depend on
// parley_auth: SaltedPassword = PBKDF2, StoredKey = H(HMAC(SaltedPassword, "Client Key")),
// ServerKey = HMAC(SaltedPassword, "Server Key").
api::ScramCredential derive(const EVP_MD* md, const std::string& password, std::string salt) {
  const auto size = static_cast<std::size_t>(EVP_MD_get_size(md));
  std::string salted(size, '\0');
  constexpr int kIterations = 4096;
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), kIterations, md, static_cast<int>(size),
                    reinterpret_cast<unsigned char*>(salted.data()));
  auto hmac = [&](std::string_view text) {
    std::string out(size, '\0');
    unsigned int length = 0;
    HMAC(md, salted.data(), static_cast<int>(salted.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         reinterpret_cast<unsigned char*>(out.data()), &length);
    return out;
  };
  const std::string client_key = hmac("Client Key");
  std::string stored(size, '\0');
  EVP_Digest(client_key.data(), client_key.size(), reinterpret_cast<unsigned char*>(stored.data()),
             nullptr, md, nullptr);
  return api::ScramCredential{std::move(salt), kIterations, std::move(stored), hmac("Server Key")};
}

class AccountStoreTest : public StorageTest {};

TEST_F(AccountStoreTest, CreateRefusesADuplicate) {
  auto& accounts = stores().accounts;
  EXPECT_FALSE(accounts.create(alice_, fake_credentials("other")));
  // The first credentials stay.
  EXPECT_EQ(accounts.credentials(alice_), fake_credentials("alice"));
}

TEST_F(AccountStoreTest, ExistsAndListAreSortedByAddress) {
  auto& accounts = stores().accounts;
  ASSERT_TRUE(accounts.create(addr("aaron@b.example"), fake_credentials("x")));
  ASSERT_TRUE(accounts.create(addr("zed@a.example"), fake_credentials("y")));
  EXPECT_TRUE(accounts.exists(bob_));
  EXPECT_FALSE(accounts.exists(addr("nobody@example.com")));
  std::vector<model::Address> expected{alice_, bob_, carol_, addr("aaron@b.example"),
                                       addr("zed@a.example")};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(accounts.list(), expected);
}

TEST_F(AccountStoreTest, KeysAreBareAddresses) {
  auto& accounts = stores().accounts;
  EXPECT_TRUE(accounts.exists(addr("alice@example.com/phone")));
  EXPECT_FALSE(accounts.create(addr("alice@example.com/phone"), fake_credentials("z")));
}

TEST_F(AccountStoreTest, CredentialsRoundTripByteForByte) {
  auto& accounts = stores().accounts;
  api::Credentials credentials = fake_credentials("bin");
  credentials.sha1.salt = std::string("\0\x01\x02\xfe\xff", 5);
  credentials.sha1.iterations = 4294967295u;  // the full uint32 range survives
  ASSERT_TRUE(accounts.set_credentials(bob_, credentials));
  reopen();
  EXPECT_EQ(stores().accounts.credentials(bob_), credentials);
}

TEST_F(AccountStoreTest, SipDigestCredentialRoundTripsAndClears) {
  auto& accounts = stores().accounts;
  api::Credentials credentials = fake_credentials("sip");
  credentials.sip = {"example.com", std::string(32, 'a'), std::string(64, 'b')};
  ASSERT_TRUE(accounts.set_credentials(bob_, credentials));
  reopen();
  EXPECT_EQ(stores().accounts.credentials(bob_), credentials);
  // A password set without a realm leaves no digest credential behind (schema v5: NULL).
  credentials.sip = {};
  ASSERT_TRUE(stores().accounts.set_credentials(bob_, credentials));
  EXPECT_EQ(stores().accounts.credentials(bob_)->sip, api::DigestCredential{});
  // A new account is created with its digest credential in the same row.
  const auto erin = addr("erin@example.com");
  api::Credentials created = fake_credentials("erin");
  created.sip = {"example.com", "0123", "4567"};
  ASSERT_TRUE(stores().accounts.create(erin, created));
  EXPECT_EQ(stores().accounts.credentials(erin), created);
}

TEST_F(AccountStoreTest, UnknownAccount) {
  auto& accounts = stores().accounts;
  const auto nobody = addr("nobody@example.com");
  EXPECT_EQ(accounts.credentials(nobody), std::nullopt);
  EXPECT_FALSE(accounts.set_credentials(nobody, fake_credentials("n")));
  EXPECT_FALSE(accounts.remove(nobody));
  EXPECT_FALSE(accounts.exists(nobody));
}

TEST_F(AccountStoreTest, RemoveDeletesTheAccount) {
  auto& accounts = stores().accounts;
  EXPECT_TRUE(accounts.remove(bob_));
  EXPECT_FALSE(accounts.exists(bob_));
  EXPECT_FALSE(accounts.remove(bob_));
  EXPECT_TRUE(accounts.create(bob_, fake_credentials("again")));
}

TEST_F(AccountStoreTest, ThePasswordIsStoredNowhere) {
  const std::string password = "correct horse battery staple";
  const api::Credentials credentials{derive(EVP_sha1(), password, "0123456789abcdef"),
                                     derive(EVP_sha256(), password, "fedcba9876543210")};
  const auto dave = addr("dave@example.com");
  ASSERT_TRUE(stores().accounts.create(dave, credentials));
  EXPECT_EQ(stores().accounts.credentials(dave), credentials);

  {
    SQLite::Statement row(db().sql(), "SELECT * FROM accounts WHERE jid = 'dave@example.com'");
    ASSERT_TRUE(row.executeStep());
    for (int i = 0; i < row.getColumnCount(); ++i) {
      EXPECT_EQ(row.getColumn(i).getString().find(password), std::string::npos)
          << row.getColumnName(i);
    }
  }
  // Nor in any page of the file or the WAL.
  db_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(password), std::string::npos) << entry.path();
  }
}

TEST_F(AccountStoreTest, RemovingAnAccountRemovesAllItsData) {
  auto s = stores();
  model::RosterItem item{carol_, "Carol", {"Friends"}, model::SubscriptionState::both, false};
  s.rosters.put(bob_, item);
  model::Message message;
  message.from = addr("carol@example.com/pc");
  message.to = bob_;
  message.body = "hi";
  s.offline.store(message);
  s.vcards.set(bob_, "<vCard/>");
  s.private_xml.set(bob_, "storage storage:bookmarks", "<storage/>");
  s.blocks.add(bob_, {carol_});
  ASSERT_TRUE(s.directory.create_department({"Sales", "", ""}));
  ASSERT_TRUE(s.directory.add_member("Sales", {bob_, true}));
  ASSERT_TRUE(s.directory.add_member("Sales", {carol_, false}));

  ASSERT_TRUE(s.accounts.remove(bob_));

  for (const char* table : {"roster_items", "roster_groups", "roster_versions", "offline_messages",
                            "vcards", "private_xml", "blocks", "department_members"}) {
    SQLite::Statement count(db().sql(), std::string("SELECT count(*) FROM ") + table +
                                            " WHERE user = 'bob@example.com'");
    ASSERT_TRUE(count.executeStep());
    EXPECT_EQ(count.getColumn(0).getInt(), 0) << table;
  }
  // Other users' data is untouched.
  EXPECT_EQ(s.directory.members("Sales"), (std::vector<api::DepartmentMember>{{carol_, false}}));
  // A new account of the same name starts empty.
  ASSERT_TRUE(s.accounts.create(bob_, fake_credentials("new")));
  EXPECT_TRUE(s.rosters.items(bob_).empty());
  EXPECT_EQ(s.rosters.version(bob_), 0u);
  EXPECT_EQ(s.offline.count(bob_), 0u);
  EXPECT_EQ(s.vcards.get(bob_), std::nullopt);
  EXPECT_TRUE(s.blocks.list(bob_).empty());
  EXPECT_TRUE(s.directory.departments_of(bob_).empty());
}

}  // namespace
}  // namespace parley::storage
