#pragma once
// StropheClient: a real XMPP client library (libstrophe 0.12) driven from a test. Its event
// loop runs on a thread of its own; everything that touches the libstrophe connection runs on
// that thread (sends are posted to it). Received stanzas go into a bounded queue the test
// waits on with a timeout — conditions, never sleeps.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support/xml_node.hpp"

struct _xmpp_ctx_t;
struct _xmpp_conn_t;

namespace parley::it {

struct StropheOptions {
  std::string jid;  // bare or full; a full JID asks the server for that resource
  std::string password;
  std::uint16_t port = 0;
  bool direct_tls = false;           // XEP-0368 port: TLS from the first byte
  bool stream_management = true;     // let libstrophe enable XEP-0198 when offered
  bool answer_roster_pushes = true;  // RFC 6121 §2.1.6: the client acknowledges pushes
};

using Match = std::function<bool(const XmlNode&)>;

class StropheClient {
 public:
  static constexpr std::chrono::seconds kTimeout{10};
  static constexpr std::size_t kMaxQueued = 10000;

  explicit StropheClient(StropheOptions options);
  ~StropheClient();
  StropheClient(const StropheClient&) = delete;
  StropheClient& operator=(const StropheClient&) = delete;

  // Connects and waits until the session is established (TLS, SASL, bound) or has failed.
  bool connect(std::chrono::milliseconds timeout = kTimeout);
  // Ends the stream gracefully and waits for the disconnect.
  void disconnect(std::chrono::milliseconds timeout = kTimeout);

  void send(const XmlNode& stanza);
  void send_raw(std::string bytes);

  // Waits for (and removes from the queue) the first received stanza that matches.
  std::optional<XmlNode> wait_for(const Match& match, std::chrono::milliseconds timeout = kTimeout);
  // Sends an IQ (with a fresh id unless it has one) and waits for its result or error.
  std::optional<XmlNode> iq(XmlNode request, std::chrono::milliseconds timeout = kTimeout);
  bool wait_disconnected(std::chrono::milliseconds timeout = kTimeout);

  bool connected() const;
  bool disconnected() const;
  // The stream error condition the server closed the stream with (RFC 6120 §4.9.3), or "".
  std::string stream_error() const;
  std::string bound_jid() const;
  std::string failure_description() const;
  std::string next_id();
  // Everything still queued, for failure messages.
  std::string dump_queue() const;

 private:
  struct Callbacks;  // the C callbacks libstrophe calls on the loop thread
  friend struct Callbacks;
  void run_loop();
  void post(std::function<void()> work);

  StropheOptions options_;
  _xmpp_ctx_t* ctx_ = nullptr;
  _xmpp_conn_t* conn_ = nullptr;
  std::thread loop_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<XmlNode> received_;
  std::vector<std::function<void()>> commands_;
  bool stop_ = false;
  bool started_ = false;
  bool connected_ = false;
  bool disconnected_ = false;
  int error_ = 0;
  std::string stream_error_;
  std::string bound_jid_;
  int id_counter_ = 0;
};

}  // namespace parley::it
