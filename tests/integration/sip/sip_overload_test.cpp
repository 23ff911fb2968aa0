// Robustness under a flood (issue 7): requests from one source beyond the rate limit are
// answered 503 with Retry-After (RFC 3261 §21.5.4) instead of being queued without bound, and
// the daemon keeps answering once the flood stops. Its own daemon: the limiter is per source
// IP, and every client of the suite is 127.0.0.1.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/support/daemon_suite.hpp"
#include "tests/integration/support/sip_helpers.hpp"

namespace parley::it {
namespace {

class SipOverloadTest : public DaemonSuite<SipOverloadTest> {
 public:
  static nlohmann::json daemon_config() { return sip_daemon_config(); }
};

TEST_F(SipOverloadTest, FloodGets503WithRetryAfter) {
  const Account alice = daemon().new_account("alice");
  SipClient client(sip_options(daemon(), alice, SipTransport::udp));
  constexpr int kRequests = 400;  // well above the default burst of 100
  std::set<std::string> call_ids;
  for (int i = 0; i < kRequests; ++i) {
    SipMsg options = client.request("OPTIONS", sip_aor(alice), sip_aor(alice));
    call_ids.insert(options.header("Call-ID"));
    client.send_raw(options.serialize());
  }
  int answered = 0, unavailable = 0;
  bool retry_after = true;
  // Collect answers until every request has one or nothing more comes for a while (UDP may
  // drop some under load; the limiter may also drop silently past 503s — both are fine).
  while (
      auto r = client.wait_response(
          [&](const SipMsg& m) { return m.status >= 200 && call_ids.count(m.header("Call-ID")); },
          std::chrono::seconds(3))) {
    ++answered;
    if (r->status == 503) {
      ++unavailable;
      retry_after = retry_after && !r->header("Retry-After").empty();
    }
    if (answered == kRequests) break;
  }
  EXPECT_GT(unavailable, 0) << answered << " answered, none 503";
  EXPECT_TRUE(retry_after) << "a 503 without Retry-After";
}

}  // namespace
}  // namespace parley::it
