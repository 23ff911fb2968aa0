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
  auto step = sasl.credentials(alice_credentials());
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Success>(step));
  EXPECT_EQ(sasl.authzid(), "");
}

TEST(SaslPlain, WrongPasswordAndUnknownUserLookTheSame) {
  SaslExchange wrong(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(wrong.start("\0alice\0guess"s));
  EXPECT_EQ(as<SaslExchange::Failure>(wrong.credentials(alice_credentials())).condition,
            auth::SaslFailure::not_authorized);
  SaslExchange unknown(SaslMechanism::plain);
  as<SaslExchange::NeedCredentials>(unknown.start("\0nobody\0secret"s));
  EXPECT_EQ(as<SaslExchange::Failure>(unknown.credentials(std::nullopt)).condition,
            auth::SaslFailure::not_authorized);
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
  EXPECT_TRUE(std::holds_alternative<SaslExchange::Success>(sasl.credentials(alice_credentials())));
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
