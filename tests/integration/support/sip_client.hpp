#pragma once
// SipClient: a small raw SIP user agent for the scenario tests, for what sipsak and baresip
// cannot do from a script: malformed requests, SUBSCRIBE/NOTIFY, PUBLISH, several devices.
// Deliberately independent of adapters/sip (its own tiny message type and parser), so the
// tests do not check the daemon's parser with itself.
//
// A reader thread receives over UDP or TCP (Content-Length framing, CRLF keep-alives skipped),
// queues responses and incoming requests (bounded), and answers incoming requests at once
// (200 OK unless told otherwise). Tests wait on the queues with a timeout — never sleep.
// send() answers 401/407 challenges with RFC 7616 digest credentials (MD5 or SHA-256, qop=auth).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace parley::it {

// A SIP message as text fields; header names as given (lookups are case-insensitive and
// accept the RFC 3261 §7.3.3 compact forms).
struct SipMsg {
  bool is_request = true;
  std::string method;  // requests
  std::string uri;
  int status = 0;  // responses
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const;  // the first, "" when absent
  std::vector<std::string> headers_named(std::string_view name) const;
  bool has_header(std::string_view name) const;
  SipMsg& set(std::string name, std::string value);  // replaces all of that name
  SipMsg& add(std::string name, std::string value);
  void remove(std::string_view name);
  // CSeq method ("REGISTER" of "2 REGISTER").
  std::string cseq_method() const;
  // Start line, headers, Content-Length from the body.
  std::string serialize() const;
  // One complete message; nullopt when the start line or a header line is broken, or (when
  // `complete`) the body is shorter than Content-Length.
  static std::optional<SipMsg> parse(std::string_view text, bool complete = true);
  std::string summary() const;  // "MESSAGE sip:..." or "200 OK", for failure messages
};

// A parameter of a header value: tag of "<sip:a@b>;tag=x", expires of a Contact, ...
std::string header_param(std::string_view value, std::string_view name);
// A digest challenge/credential parameter: realm of `Digest realm="x", nonce="y"`.
std::string auth_param(std::string_view value, std::string_view name);

enum class SipTransport { udp, tcp };

struct SipClientOptions {
  SipTransport transport = SipTransport::udp;
  std::uint16_t server_port = 0;
  std::string server_host = "127.0.0.1";
  std::string user;      // the AOR's user part, also the digest username
  std::string domain;    // the AOR's host ("localhost")
  std::string password;  // "" = no credentials: challenges are returned to the caller
  std::string prefer_algorithm = "SHA-256";  // when several challenges are offered
  bool auto_answer = true;                   // answer incoming requests with 200
};

class SipClient {
 public:
  static constexpr std::chrono::seconds kTimeout{10};
  static constexpr std::size_t kMaxQueued = 1000;

  explicit SipClient(SipClientOptions options);
  ~SipClient();
  SipClient(const SipClient&) = delete;
  SipClient& operator=(const SipClient&) = delete;

  std::string aor() const;  // sip:user@domain
  std::uint16_t local_port() const { return local_port_; }
  std::string contact_uri() const;  // sip:user@127.0.0.1:port[;transport=tcp]

  // A new request in a new dialog (fresh Call-ID and From tag) or, with `dialog`, within the
  // dialog of a previous request/response (same Call-ID, tags, next CSeq). Via (with a
  // z9hG4bK branch and rport), Max-Forwards, From, To, Call-ID, CSeq and Contact are set.
  SipMsg request(const std::string& method, const std::string& request_uri,
                 const std::string& to_uri);
  SipMsg request_in_dialog(const std::string& method, const SipMsg& dialog_response);

  // Sends and waits for the final response (1xx are skipped). A 401/407 is answered once with
  // credentials when a password is set (same Call-ID, CSeq + 1, new branch); the response to
  // that is returned. nullopt on timeout.
  std::optional<SipMsg> send(SipMsg request, std::chrono::milliseconds timeout = kTimeout);
  // Raw bytes, e.g. a malformed request; then wait_response() for what comes back.
  void send_raw(const std::string& bytes);
  std::optional<SipMsg> wait_response(const std::function<bool(const SipMsg&)>& match,
                                      std::chrono::milliseconds timeout = kTimeout);
  // The next response to the request with this Call-ID and CSeq method.
  std::optional<SipMsg> wait_response_to(const SipMsg& request,
                                         std::chrono::milliseconds timeout = kTimeout);

  // REGISTER for this client's contact with Expires (0 = un-REGISTER); the final response.
  std::optional<SipMsg> register_contact(int expires = 300, const std::string& instance = {});

  // An incoming request matching `match` (already answered when auto_answer).
  std::optional<SipMsg> wait_request(const std::function<bool(const SipMsg&)>& match,
                                     std::chrono::milliseconds timeout = kTimeout);
  // Answers an incoming request (for auto_answer = false).
  void respond(const SipMsg& request, int status, const std::string& reason);
  std::string dump_queues() const;

 private:
  void reader();
  void handle_bytes(const char* data, std::size_t size);
  void dispatch(SipMsg message);
  void write(const std::string& bytes);
  SipMsg make_response(const SipMsg& request, int status, const std::string& reason) const;
  std::optional<std::string> credentials_for(const SipMsg& request, const SipMsg& challenge);
  std::string new_token();

  SipClientOptions options_;
  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t local_port_ = 0;
  std::thread reader_;
  std::string stream_buffer_;  // TCP only, reader thread only

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SipMsg> responses_;
  std::deque<SipMsg> requests_;
  std::uint32_t cseq_ = 1;
  std::uint64_t counter_ = 0;
  std::uint32_t nonce_count_ = 0;
  std::mutex write_mutex_;
};

}  // namespace parley::it
