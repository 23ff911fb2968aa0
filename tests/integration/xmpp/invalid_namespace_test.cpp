// A stream opened with the wrong stream namespace, or a content namespace other than
// jabber:client on the client port, is refused with <invalid-namespace/> (RFC 6120
// §4.9.3.10, §4.8.1); other sessions carry on.
#include <gtest/gtest.h>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/raw_client.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {
namespace {

class InvalidNamespaceTest : public DaemonSuite<InvalidNamespaceTest> {};

TEST_F(InvalidNamespaceTest, WrongStreamNamespace) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().c2s_port(), Transport::plain);
  raw.send_raw(stream_header({.stream_ns = "http://example.com/not-streams"}));
  EXPECT_EQ(raw.wait_stream_error(), "invalid-namespace");
  EXPECT_TRUE(raw.wait_connection_closed());
  bystanders.check_still_served("a wrong stream namespace");
}

TEST_F(InvalidNamespaceTest, WrongContentNamespace) {
  Bystanders bystanders(daemon());
  RawClient raw(daemon().direct_tls_port(), Transport::direct_tls);
  raw.send_raw(stream_header({.content_ns = "urn:example:bogus"}));
  EXPECT_EQ(raw.wait_stream_error(), "invalid-namespace");
  bystanders.check_still_served("a wrong content namespace");
}

}  // namespace
}  // namespace parley::it
