// XEP-0077 in-band registration, password change and account removal.
#include "adapters/xmpp/features/handlers.hpp"
#include "gateway/auth/scram.hpp"
#include "tests/unit/adapters/xmpp/features/feature_test_support.hpp"

namespace parley::xmpp::test {
namespace {

using model::ErrorCondition;

class RegisterTest : public FeatureTest {
 protected:
  RegisterTest() {
    session.xmpp_config.registration_enabled = true;
    store.accounts.accounts[addr("juliet@example.com")] = auth::make_credentials("old-secret", 64);
  }
  IqHandler handler = features::make_register_handler();
};

TEST_F(RegisterTest, DisabledRegistrationIsServiceUnavailable) {
  logged_out();
  session.xmpp_config.registration_enabled = false;
  dispatch(handler, "<iq type='get' id='g0'><query xmlns='jabber:iq:register'/></iq>");
  expect_error(ErrorCondition::service_unavailable, "g0");
  dispatch(handler,
           "<iq type='set' id='s0'><query xmlns='jabber:iq:register'>"
           "<username>mercutio</username><password>pw</password></query></iq>");
  expect_error(ErrorCondition::service_unavailable, "s0");
  EXPECT_EQ(store.accounts.accounts.count(addr("mercutio@example.com")), 0u);
}

TEST_F(RegisterTest, GetListsRequiredFields) {
  logged_out();
  dispatch(handler, "<iq type='get' id='g1'><query xmlns='jabber:iq:register'/></iq>");
  const auto* query = result("g1").child("query", "jabber:iq:register");
  ASSERT_NE(query, nullptr);
  EXPECT_NE(query->child("instructions"), nullptr);
  EXPECT_NE(query->child("username"), nullptr);
  EXPECT_NE(query->child("password"), nullptr);
  EXPECT_EQ(query->child("registered"), nullptr);
}

TEST_F(RegisterTest, SuccessStoresScramCredentialsNotThePassword) {
  logged_out();
  dispatch(handler,
           "<iq type='set' id='s1'><query xmlns='jabber:iq:register'>"
           "<username>Mercutio</username><password>queen-mab</password></query></iq>");
  result("s1");
  EXPECT_EQ(store.jobs, 2);                          // the existence check, then the create
  EXPECT_EQ(session.cpu_work_service.submitted, 1);  // the key stretching, off the io thread
  // Nodeprep lowercases the username.
  auto it = store.accounts.accounts.find(addr("mercutio@example.com"));
  ASSERT_NE(it, store.accounts.accounts.end());
  const api::Credentials& stored = it->second;
  EXPECT_EQ(stored.sha256.iterations, auth::kDefaultIterations);
  EXPECT_FALSE(stored.sha256.salt.empty());
  EXPECT_NE(stored.sha256.stored_key, "queen-mab");
  EXPECT_NE(stored.sha1.server_key, "queen-mab");
  EXPECT_TRUE(auth::verify_password(stored.sha256, auth::ScramHash::sha256, "queen-mab"));
  EXPECT_TRUE(auth::verify_password(stored.sha1, auth::ScramHash::sha1, "queen-mab"));
  EXPECT_FALSE(auth::verify_password(stored.sha256, auth::ScramHash::sha256, "wrong"));
}

TEST_F(RegisterTest, ExistingUsernameIsConflict) {
  logged_out();
  dispatch(handler,
           "<iq type='set' id='s2'><query xmlns='jabber:iq:register'>"
           "<username>juliet</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::conflict, "s2");
  EXPECT_EQ(store.jobs, 1);  // only the existence check: no key derivation, no create
  // The existing credentials are untouched.
  EXPECT_TRUE(auth::verify_password(store.accounts.accounts[addr("juliet@example.com")].sha256,
                                    auth::ScramHash::sha256, "old-secret"));
}

TEST_F(RegisterTest, MissingOrInvalidFieldsAreNotAcceptable) {
  logged_out();
  dispatch(handler,
           "<iq type='set' id='s3'><query xmlns='jabber:iq:register'>"
           "<username>tybalt</username></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "s3");
  dispatch(handler,
           "<iq type='set' id='s4'><query xmlns='jabber:iq:register'>"
           "<username>tybalt</username><password/></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "s4");
  dispatch(handler,
           "<iq type='set' id='s5'><query xmlns='jabber:iq:register'>"
           "<username>ty@balt</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "s5");
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(RegisterTest, RequiresTlsWhenConfigured) {
  logged_out();
  session.tls = false;
  dispatch(handler,
           "<iq type='set' id='s6'><query xmlns='jabber:iq:register'>"
           "<username>tybalt</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::policy_violation, "s6");
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(RegisterTest, StoreFailureIsInternalServerError) {
  logged_out();
  store.fail_next = true;
  dispatch(handler,
           "<iq type='set' id='s7'><query xmlns='jabber:iq:register'>"
           "<username>tybalt</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::internal_server_error, "s7");
}

TEST_F(RegisterTest, RemoveBeforeAuthenticationIsRefused) {
  logged_out();
  dispatch(handler,
           "<iq type='set' id='s8'><query xmlns='jabber:iq:register'><remove/></query></iq>");
  expect_error(ErrorCondition::not_authorized, "s8");
}

TEST_F(RegisterTest, AuthenticatedGetSaysRegistered) {
  dispatch(handler, "<iq type='get' id='a1'><query xmlns='jabber:iq:register'/></iq>");
  const auto* query = result("a1").child("query", "jabber:iq:register");
  ASSERT_NE(query, nullptr);
  EXPECT_NE(query->child("registered"), nullptr);
  EXPECT_EQ(query->child_text("username"), "juliet");
}

TEST_F(RegisterTest, PasswordChange) {
  dispatch(handler,
           "<iq type='set' id='p1' to='example.com'><query xmlns='jabber:iq:register'>"
           "<username>juliet</username><password>new-secret</password></query></iq>");
  result("p1");
  const auto& stored = store.accounts.accounts[addr("juliet@example.com")];
  EXPECT_TRUE(auth::verify_password(stored.sha256, auth::ScramHash::sha256, "new-secret"));
  EXPECT_FALSE(auth::verify_password(stored.sha256, auth::ScramHash::sha256, "old-secret"));
}

TEST_F(RegisterTest, BusyKeyDerivationIsResourceConstraint) {
  // The CPU work queue is full: the client is told to wait and retry, and nothing is stored.
  session.cpu_work_service.accept = false;
  dispatch(handler,
           "<iq type='set' id='p5'><query xmlns='jabber:iq:register'>"
           "<username>juliet</username><password>new-secret</password></query></iq>");
  expect_error(ErrorCondition::resource_constraint, "p5");
  EXPECT_TRUE(auth::verify_password(store.accounts.accounts[addr("juliet@example.com")].sha256,
                                    auth::ScramHash::sha256, "old-secret"));
  logged_out();
  dispatch(handler,
           "<iq type='set' id='s9'><query xmlns='jabber:iq:register'>"
           "<username>benvolio</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::resource_constraint, "s9");
  EXPECT_EQ(store.accounts.accounts.count(addr("benvolio@example.com")), 0u);
}

TEST_F(RegisterTest, SessionGoneWhileDerivingStoresNothing) {
  // The derivation finished after the client left: its continuation is dropped with the
  // session, so no account is created half-way and nothing is answered.
  logged_out();
  session.cpu_work_service.hold = true;
  // Not dispatch(): that insists on an answer before the derivation has run.
  handler(session, xml("<iq type='set' id='s10'><query xmlns='jabber:iq:register'>"
                       "<username>paris</username><password>x</password></query></iq>"));
  session.run_posted();
  ASSERT_EQ(session.cpu_work_service.held.size(), 1u);
  session.end();
  session.cpu_work_service.run_held();
  session.run_posted();
  EXPECT_EQ(session.replies(), 0u);
  EXPECT_EQ(store.jobs, 1);  // the existence check only
  EXPECT_EQ(store.accounts.accounts.count(addr("paris@example.com")), 0u);
}

TEST_F(RegisterTest, PasswordChangeDisabledIsNotAllowed) {
  session.xmpp_config.password_change_enabled = false;
  dispatch(handler,
           "<iq type='set' id='p2'><query xmlns='jabber:iq:register'>"
           "<username>juliet</username><password>new-secret</password></query></iq>");
  expect_error(ErrorCondition::not_allowed, "p2");
  EXPECT_TRUE(auth::verify_password(store.accounts.accounts[addr("juliet@example.com")].sha256,
                                    auth::ScramHash::sha256, "old-secret"));
}

TEST_F(RegisterTest, PasswordChangeForAnotherUserOrEmptyIsRefused) {
  dispatch(handler,
           "<iq type='set' id='p3'><query xmlns='jabber:iq:register'>"
           "<username>romeo</username><password>x</password></query></iq>");
  expect_error(ErrorCondition::bad_request, "p3");
  dispatch(handler,
           "<iq type='set' id='p4'><query xmlns='jabber:iq:register'>"
           "<username>juliet</username><password/></query></iq>");
  expect_error(ErrorCondition::not_acceptable, "p4");
  EXPECT_EQ(store.jobs, 0);
}

TEST_F(RegisterTest, RemoveAccount) {
  dispatch(handler,
           "<iq type='set' id='r1'><query xmlns='jabber:iq:register'><remove/></query></iq>");
  result("r1");
  EXPECT_EQ(store.accounts.accounts.count(addr("juliet@example.com")), 0u);
}

TEST_F(RegisterTest, RemoveWithOtherChildrenIsBadRequest) {
  dispatch(handler,
           "<iq type='set' id='r2'><query xmlns='jabber:iq:register'><remove/>"
           "<username>juliet</username></query></iq>");
  expect_error(ErrorCondition::bad_request, "r2");
  EXPECT_EQ(store.accounts.accounts.count(addr("juliet@example.com")), 1u);
}

TEST_F(RegisterTest, AnotherAccountsRegistrationIsForbidden) {
  dispatch(handler,
           "<iq type='set' id='r3' to='romeo@example.com'><query xmlns='jabber:iq:register'>"
           "<remove/></query></iq>");
  expect_error(ErrorCondition::forbidden, "r3");
}

}  // namespace
}  // namespace parley::xmpp::test
