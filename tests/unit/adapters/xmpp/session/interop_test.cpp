// A real client library against the session code: libstrophe (a project dependency) logs in
// over STARTTLS with SCRAM, binds, enables XEP-0198, sends and receives.
#include <strophe.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "tests/unit/adapters/xmpp/session/loopback.hpp"

namespace parley::xmpp::test {
namespace {

struct StropheState {
  bool connected = false;
  bool disconnected = false;
  std::string received_body;
};

void on_connection(xmpp_conn_t*, xmpp_conn_event_t event, int, xmpp_stream_error_t*,
                   void* userdata) {
  auto* state = static_cast<StropheState*>(userdata);
  if (event == XMPP_CONN_CONNECT) {
    state->connected = true;
  } else if (event == XMPP_CONN_DISCONNECT || event == XMPP_CONN_FAIL) {
    state->disconnected = true;
  }
}

int on_message(xmpp_conn_t* conn, xmpp_stanza_t* stanza, void* userdata) {
  auto* state = static_cast<StropheState*>(userdata);
  if (char* body = xmpp_message_get_body(stanza)) {
    state->received_body = body;
    xmpp_free(xmpp_conn_get_context(conn), body);
  }
  return 1;
}

class Strophe {
 public:
  Strophe() {
    xmpp_initialize();
    ctx_ = xmpp_ctx_new(nullptr, nullptr);
    conn_ = xmpp_conn_new(ctx_);
  }
  ~Strophe() {
    xmpp_conn_release(conn_);
    xmpp_ctx_free(ctx_);
    xmpp_shutdown();
  }
  // Runs the event loop until pred() or the timeout.
  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      xmpp_run_once(ctx_, 20);
    }
    return true;
  }
  xmpp_ctx_t* ctx() { return ctx_; }
  xmpp_conn_t* conn() { return conn_; }

 private:
  xmpp_ctx_t* ctx_;
  xmpp_conn_t* conn_;
};

using Interop = Loopback;

TEST_F(Interop, LibstropheLogsInSendsAndReceives) {
  start();
  Strophe strophe;
  StropheState state;
  xmpp_conn_set_flags(strophe.conn(), XMPP_CONN_FLAG_MANDATORY_TLS | XMPP_CONN_FLAG_TRUST_TLS);
  xmpp_conn_set_jid(strophe.conn(), "alice@localhost/strophe");
  xmpp_conn_set_pass(strophe.conn(), "secret");
  xmpp_handler_add(strophe.conn(), on_message, nullptr, "message", nullptr, &state);
  ASSERT_EQ(
      xmpp_connect_client(strophe.conn(), "127.0.0.1", server_->c2s_port(), on_connection, &state),
      XMPP_EOK);
  ASSERT_TRUE(strophe.run_until([&] { return state.connected || state.disconnected; }));
  ASSERT_TRUE(state.connected);
  EXPECT_TRUE(xmpp_conn_is_secured(strophe.conn()));
  EXPECT_TRUE(core_.is_bound(addr("alice@localhost/strophe")));

  xmpp_stanza_t* message = xmpp_message_new(strophe.ctx(), "chat", "bob@localhost", "m1");
  xmpp_message_set_body(message, "hello from libstrophe");
  xmpp_send(strophe.conn(), message);
  xmpp_stanza_release(message);
  ASSERT_TRUE(
      strophe.run_until([&] { return core_.locked([&] { return !core_.messages.empty(); }); }));
  auto routed = core_.locked([&] { return core_.messages.front(); });
  EXPECT_EQ(routed.from, addr("alice@localhost/strophe"));
  EXPECT_EQ(routed.body, "hello from libstrophe");

  auto endpoint = core_.endpoint(addr("alice@localhost/strophe"));
  ASSERT_NE(endpoint, nullptr);
  auto reply = std::make_shared<model::Message>();
  reply->from = addr("bob@localhost/phone");
  reply->to = addr("alice@localhost/strophe");
  reply->type = model::MessageType::chat;
  reply->body = "hello back";
  endpoint->deliver(api::MessageDelivery{reply});
  ASSERT_TRUE(strophe.run_until([&] { return !state.received_body.empty(); }));
  EXPECT_EQ(state.received_body, "hello back");

  xmpp_disconnect(strophe.conn());
  ASSERT_TRUE(strophe.run_until([&] { return state.disconnected; }));
  EXPECT_TRUE(core_.wait([&] { return !core_.unbinds.empty(); }));
}

// slixmpp (python3-slixmpp) when installed: a second, independent client implementation.
TEST_F(Interop, SlixmppLogsInSendsAndReceives) {
  if (std::system("/usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-slixmpp not installed";
  }
  start();
  const std::string command = "timeout 30 /usr/bin/python3 " PARLEY_SLIXMPP_SCRIPT " " +
                              std::to_string(server_->c2s_port()) + " 2>&1";
  std::string output;
  std::thread runner([&] {
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, pipe)) output += line;
      pclose(pipe);
    }
  });
  // The client's message reaches the core; the answer goes back through the endpoint.
  const bool sent = core_.wait([&] { return !core_.messages.empty(); }, 25s);
  if (sent) {
    auto endpoint = core_.endpoint(addr("alice@localhost/slix"));
    if (endpoint) {
      auto reply = std::make_shared<model::Message>();
      reply->from = addr("bob@localhost/phone");
      reply->to = addr("alice@localhost/slix");
      reply->type = model::MessageType::chat;
      reply->body = "hello back";
      endpoint->deliver(api::MessageDelivery{reply});
    }
  }
  runner.join();
  ASSERT_TRUE(sent) << output;
  EXPECT_EQ(core_.locked([&] { return core_.messages.front().body; }), "hello from slixmpp");
  EXPECT_NE(output.find("BOUND alice@localhost/slix"), std::string::npos) << output;
  EXPECT_NE(output.find("SM"), std::string::npos) << output;
  EXPECT_NE(output.find("PONG"), std::string::npos) << output;
  EXPECT_NE(output.find("MESSAGE hello back"), std::string::npos) << output;
  EXPECT_NE(output.find("DONE"), std::string::npos) << output;
}

}  // namespace
}  // namespace parley::xmpp::test
