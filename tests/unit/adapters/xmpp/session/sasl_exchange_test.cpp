#include "adapters/xmpp/sasl_exchange.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/adapters/xmpp/session/scram_client.hpp"

namespace parley::xmpp {
namespace {

using namespace std::string_literals;

const api::Credentials& alice_credentials() {
  static const api::Credentials credentials = auth::make_credentials("secret", 4096);
  return credentials;
}

template <class T>
const T& as(const SaslExchange::Step& step) {
  EXPECT_TRUE(std::holds_alternative<T>(step)) << "step index " << step.index();
  static const T empty{};
  const T* value = std::get_if<T>(&step);
  return value ? *value : empty;
}

// What the session does with a VerifyPassword step (on its CPU work thread).
SaslExchange::Step check_password(SaslExchange& sasl, const SaslExchange::Step& step) {
  const auto& verify = as<SaslExchange::VerifyPassword>(step);
  return sasl.password_checked(
      auth::verify_password(verify.credential, auth::ScramHash::sha256, verify.password));
}

TEST(SaslMechanism, Names) {
  EXPECT_EQ(sasl_mechanism_from_name("SCRAM-SHA-256"), SaslMechanism::scram_sha256);
  EXPECT_EQ(sasl_mechanism_from_name("SCRAM-SHA-1"), SaslMechanism::scram_sha1);
  EXPECT_EQ(sasl_mechanism_from_name("PLAIN"), SaslMechanism::plain);
  EXPECT_FALSE(sasl_mechanism_from_name("DIGEST-MD5"));
  EXPECT_FALSE(sasl_mechanism_from_name("plain"));  // mechanism names are case-sensitive
  EXPECT_EQ(sasl_mechanism_name(SaslMechanism::scram_sha1), "SCRAM-SHA-1");
}

TEST(SaslPlain, Succeeds) {
  SaslExchange sasl(SaslMechanism::plain);
  auto need = as<SaslExchange::NeedCredentials>(sasl.start("\0alice\0secret"s));
  EXPECT_EQ(need.username, "alice");
  auto verify = sasl.credentials(alice_credentials());
  // The key stretching is the caller's: it gets the stored SCRAM-SHA-256 credential.
  EXPECT_EQ(as<SaslExchange::VerifyPassword>(verify).password, "secret");
  EXPECT_EQ(as<SaslExchange::VerifyPassword>(verify).credential, alice_credentials().sha256);
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Success>(check_password(sasl, verify)));
  EXPECT_EQ(sasl.authzid(), "");
}

TEST(SaslPlain, WrongPasswordAndUnknownUserLookTheSame) {
  SaslExchange wrong(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(wrong.start("\0alice\0guess"s));
  EXPECT_EQ(as<SaslExchange::Failure>(check_password(wrong, wrong.credentials(alice_credentials())))
                .condition,
            auth::SaslFailure::not_authorized);
  // An unknown account is verified too, at the same cost, against a credential that cannot
  // match: the same answer after the same work.
  SaslExchange unknown(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(unknown.start("\0nobody\0secret"s));
  const auto verify = unknown.credentials(std::nullopt);
  EXPECT_EQ(as<SaslExchange::VerifyPassword>(verify).credential.iterations,
            alice_credentials().sha256.iterations);
  EXPECT_EQ(as<SaslExchange::Failure>(check_password(unknown, verify)).condition,
            auth::SaslFailure::not_authorized);
}

TEST(SaslPlain, UnknownAccountSaltIsStableAndLooksReal) {
  // The same username gets the same salt on every attempt (a fresh one would reveal the
  // account is unknown); different usernames get different ones.
  const auto first = auth::unknown_account_credential(auth::ScramHash::sha256, "nobody");
  const auto again = auth::unknown_account_credential(auth::ScramHash::sha256, "nobody");
  const auto other = auth::unknown_account_credential(auth::ScramHash::sha256, "someone");
  EXPECT_EQ(first.salt, again.salt);
  EXPECT_NE(first.salt, other.salt);
  EXPECT_EQ(first.salt.size(), alice_credentials().sha256.salt.size());
  EXPECT_NE(first.stored_key, again.stored_key);  // random keys: nothing can match them
}

TEST(SaslPlain, PasswordCheckOutOfTurnFails) {
  SaslExchange early(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(early.start("\0alice\0secret"s));
  EXPECT_EQ(as<SaslExchange::Failure>(early.password_checked(true)).condition,
            auth::SaslFailure::malformed_request);
  SaslExchange twice(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(twice.start("\0alice\0secret"s));
  as<SaslExchange::Success>(check_password(twice, twice.credentials(alice_credentials())));
  EXPECT_EQ(as<SaslExchange::Failure>(twice.password_checked(true)).condition,
            auth::SaslFailure::malformed_request);
}

TEST(SaslPlain, ResponseWhilePasswordIsCheckedFails) {
  SaslExchange sasl(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(sasl.start("\0alice\0secret"s));
  as<SaslExchange::VerifyPassword>(sasl.credentials(alice_credentials()));
  EXPECT_EQ(as<SaslExchange::Failure>(sasl.response("x")).condition,
            auth::SaslFailure::malformed_request);
}

TEST(SaslPlain, KeepsTheAuthzid) {
  SaslExchange sasl(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(sasl.start("alice@localhost\0alice\0secret"s));
  EXPECT_EQ(sasl.authzid(), "alice@localhost");
}

TEST(SaslPlain, MalformedMessages) {
  for (std::string bad : {"alice"s, "\0alice"s, "\0\0secret"s, "\0alice\0"s, "a\0b\0c\0d"s}) {
    SaslExchange sasl(SaslMechanism::plain);
    EXPECT_EQ(as<SaslExchange::Failure>(sasl.start(bad)).condition,
              auth::SaslFailure::malformed_request)
        << bad.size();
  }
}

TEST(SaslPlain, WithoutInitialResponseGetsAnEmptyChallenge) {
  SaslExchange sasl(SaslMechanism::plain);
  EXPECT_EQ(as<SaslExchange::Challenge>(sasl.start(std::nullopt)).data, "");
  as<SaslExchange::NeedCredentials>(sasl.response("\0alice\0secret"s));
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Success>(
      check_password(sasl, sasl.credentials(alice_credentials()))));
}

TEST(SaslPlain, ResponseOutOfTurnFails) {
  SaslExchange sasl(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(sasl.start("\0alice\0secret"s));
  EXPECT_EQ(as<SaslExchange::Failure>(sasl.response("x")).condition,
            auth::SaslFailure::malformed_request);
}

class SaslScram : public ::testing::TestWithParam<auth::ScramHash> {};

TEST_P(SaslScram, FullExchangeSucceeds) {
  const auto hash = GetParam();
  SaslExchange sasl(hash == auth::ScramHash::sha256 ? SaslMechanism::scram_sha256
                                                    : SaslMechanism::scram_sha1);
  test::ScramClient client(hash, "alice", "secret");
  auto need = as<SaslExchange::NeedCredentials>(sasl.start(client.client_first()));
  EXPECT_EQ(need.username, "alice");
  auto challenge = as<SaslExchange::Challenge>(sasl.credentials(alice_credentials()));
  EXPECT_EQ(challenge.data.rfind("r=clientnonce123", 0), 0u) << challenge.data;
  auto success = as<SaslExchange::Success>(sasl.response(client.client_final(challenge.data)));
  EXPECT_TRUE(client.verify_server_final(success.additional_data)) << success.additional_data;
}

TEST_P(SaslScram, WrongPasswordFails) {
  const auto hash = GetParam();
  SaslExchange sasl(hash == auth::ScramHash::sha256 ? SaslMechanism::scram_sha256
                                                    : SaslMechanism::scram_sha1);
  test::ScramClient client(hash, "alice", "wrong");
  as<SaslExchange::NeedCredentials>(sasl.start(client.client_first()));
  auto challenge = as<SaslExchange::Challenge>(sasl.credentials(alice_credentials()));
  EXPECT_EQ(as<SaslExchange::Failure>(sasl.response(client.client_final(challenge.data))).condition,
            auth::SaslFailure::not_authorized);
}

TEST_P(SaslScram, UnknownUserGetsAChallengeThenFails) {
  const auto hash = GetParam();
  SaslExchange sasl(hash == auth::ScramHash::sha256 ? SaslMechanism::scram_sha256
                                                    : SaslMechanism::scram_sha1);
  test::ScramClient client(hash, "nobody", "secret");
  as<SaslExchange::NeedCredentials>(sasl.start(client.client_first()));
  auto challenge = as<SaslExchange::Challenge>(sasl.credentials(std::nullopt));
  EXPECT_FALSE(challenge.data.empty());
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Failure>(
      sasl.response(client.client_final(challenge.data))));
}

INSTANTIATE_TEST_SUITE_P(Hashes, SaslScram,
                         ::testing::Values(auth::ScramHash::sha1, auth::ScramHash::sha256));

TEST(SaslScramMalformed, GarbageFirstMessage) {
  SaslExchange sasl(SaslMechanism::scram_sha256);
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Failure>(sasl.start("garbage")));
  // After a failure nothing continues.
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Failure>(sasl.response("x")));
}

}  // namespace
}  // namespace parley::xmpp
