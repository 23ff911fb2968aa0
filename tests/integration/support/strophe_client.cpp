#include "tests/integration/support/strophe_client.hpp"

#include <strophe.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

std::string condition_name(xmpp_error_type_t type) {
  switch (type) {
    case XMPP_SE_BAD_FORMAT:
      return "bad-format";
    case XMPP_SE_BAD_NS_PREFIX:
      return "bad-namespace-prefix";
    case XMPP_SE_CONFLICT:
      return "conflict";
    case XMPP_SE_CONN_TIMEOUT:
      return "connection-timeout";
    case XMPP_SE_HOST_GONE:
      return "host-gone";
    case XMPP_SE_HOST_UNKNOWN:
      return "host-unknown";
    case XMPP_SE_IMPROPER_ADDR:
      return "improper-addressing";
    case XMPP_SE_INTERNAL_SERVER_ERROR:
      return "internal-server-error";
    case XMPP_SE_INVALID_FROM:
      return "invalid-from";
    case XMPP_SE_INVALID_ID:
      return "invalid-id";
    case XMPP_SE_INVALID_NS:
      return "invalid-namespace";
    case XMPP_SE_INVALID_XML:
      return "invalid-xml";
    case XMPP_SE_NOT_AUTHORIZED:
      return "not-authorized";
    case XMPP_SE_POLICY_VIOLATION:
      return "policy-violation";
    case XMPP_SE_REMOTE_CONN_FAILED:
      return "remote-connection-failed";
    case XMPP_SE_RESOURCE_CONSTRAINT:
      return "resource-constraint";
    case XMPP_SE_RESTRICTED_XML:
      return "restricted-xml";
    case XMPP_SE_SEE_OTHER_HOST:
      return "see-other-host";
    case XMPP_SE_SYSTEM_SHUTDOWN:
      return "system-shutdown";
    case XMPP_SE_UNDEFINED_CONDITION:
      return "undefined-condition";
    case XMPP_SE_UNSUPPORTED_ENCODING:
      return "unsupported-encoding";
    case XMPP_SE_UNSUPPORTED_STANZA_TYPE:
      return "unsupported-stanza-type";
    case XMPP_SE_UNSUPPORTED_VERSION:
      return "unsupported-version";
    case XMPP_SE_XML_NOT_WELL_FORMED:
      return "not-well-formed";
  }
  return "unknown";
}

XmlNode from_stanza(xmpp_stanza_t* stanza, const std::string& inherited_ns) {
  const char* ns = xmpp_stanza_get_ns(stanza);
  XmlNode node(xmpp_stanza_get_name(stanza), ns ? std::string(ns) : inherited_ns);
  const int count = xmpp_stanza_get_attribute_count(stanza);
  std::vector<const char*> attrs(static_cast<std::size_t>(count) * 2);
  xmpp_stanza_get_attributes(stanza, attrs.data(), count * 2);
  for (std::size_t i = 0; i + 1 < attrs.size(); i += 2) {
    if (std::string_view(attrs[i]) != "xmlns") node.set(attrs[i], attrs[i + 1]);
  }
  std::string text;
  for (xmpp_stanza_t* c = xmpp_stanza_get_children(stanza); c; c = xmpp_stanza_get_next(c)) {
    if (xmpp_stanza_is_text(c)) {
      if (const char* t = xmpp_stanza_get_text_ptr(c)) text += t;
    } else {
      node.append(from_stanza(c, node.ns()));
    }
  }
  node.set_text(std::move(text));
  return node;
}

// Built with libstrophe's own stanza builders (so its XEP-0198 counter sees every stanza).
xmpp_stanza_t* to_stanza(xmpp_ctx_t* ctx, const XmlNode& node, std::string_view inherited_ns) {
  xmpp_stanza_t* stanza = xmpp_stanza_new(ctx);
  xmpp_stanza_set_name(stanza, node.name().c_str());
  if (!node.ns().empty() && node.ns() != inherited_ns)
    xmpp_stanza_set_ns(stanza, node.ns().c_str());
  for (const auto& [k, v] : node.attributes())
    xmpp_stanza_set_attribute(stanza, k.c_str(), v.c_str());
  if (!node.text().empty()) {
    xmpp_stanza_t* text = xmpp_stanza_new(ctx);
    xmpp_stanza_set_text(text, node.text().c_str());
    xmpp_stanza_add_child(stanza, text);
    xmpp_stanza_release(text);
  }
  const std::string_view scope = node.ns().empty() ? inherited_ns : std::string_view(node.ns());
  for (const auto& c : node.children()) {
    xmpp_stanza_t* child = to_stanza(ctx, c, scope);
    xmpp_stanza_add_child(stanza, child);
    xmpp_stanza_release(child);
  }
  return stanza;
}

bool is_roster_push(const XmlNode& n) {
  return n.name() == "iq" && n.attr_or("type") == "set" && n.child("query", kNsRoster);
}

}  // namespace

struct StropheClient::Callbacks {
  static void on_connection(xmpp_conn_t* conn, xmpp_conn_event_t event, int error,
                            xmpp_stream_error_t* stream_error, void* userdata) {
    auto& self = *static_cast<StropheClient*>(userdata);
    std::lock_guard lock(self.mutex_);
    if (event == XMPP_CONN_CONNECT) {
      self.connected_ = true;
      if (const char* jid = xmpp_conn_get_bound_jid(conn)) self.bound_jid_ = jid;
    } else if (event == XMPP_CONN_DISCONNECT || event == XMPP_CONN_FAIL) {
      self.connected_ = false;
      self.disconnected_ = true;
      self.error_ = error;
      if (stream_error) self.stream_error_ = condition_name(stream_error->type);
    }
    self.cv_.notify_all();
  }

  static int on_stanza(xmpp_conn_t* conn, xmpp_stanza_t* stanza, void* userdata) {
    auto& self = *static_cast<StropheClient*>(userdata);
    XmlNode node = from_stanza(stanza, std::string(kNsClient));
    if (self.options_.answer_roster_pushes && is_roster_push(node)) {
      xmpp_stanza_t* reply =
          xmpp_iq_new(xmpp_conn_get_context(conn), "result", node.attr_or("id").c_str());
      xmpp_send(conn, reply);
      xmpp_stanza_release(reply);
    }
    std::lock_guard lock(self.mutex_);
    if (self.received_.size() >= kMaxQueued) self.received_.pop_front();
    self.received_.push_back(std::move(node));
    self.cv_.notify_all();
    return 1;  // keep the handler
  }
};

StropheClient::StropheClient(StropheOptions options) : options_(std::move(options)) {
  ::signal(SIGPIPE, SIG_IGN);  // a server that closed first must fail writes, not kill us
  xmpp_initialize();
  xmpp_log_t* log =
      std::getenv("PARLEY_IT_DEBUG") ? xmpp_get_default_logger(XMPP_LEVEL_DEBUG) : nullptr;
  ctx_ = xmpp_ctx_new(nullptr, log);
  conn_ = xmpp_conn_new(ctx_);
  long flags = XMPP_CONN_FLAG_TRUST_TLS;  // parleyd's generated certificate is self-signed
  flags |= options_.direct_tls ? XMPP_CONN_FLAG_LEGACY_SSL : XMPP_CONN_FLAG_MANDATORY_TLS;
  if (!options_.stream_management) flags |= XMPP_CONN_FLAG_DISABLE_SM;
  xmpp_conn_set_flags(conn_, flags);
  xmpp_conn_set_jid(conn_, options_.jid.c_str());
  xmpp_conn_set_pass(conn_, options_.password.c_str());
  xmpp_handler_add(conn_, &Callbacks::on_stanza, nullptr, nullptr, nullptr, this);
}

StropheClient::~StropheClient() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  if (loop_.joinable()) loop_.join();
  xmpp_conn_release(conn_);
  xmpp_ctx_free(ctx_);
  xmpp_shutdown();
}

bool StropheClient::connect(std::chrono::milliseconds timeout) {
  if (started_) throw std::logic_error("StropheClient::connect called twice");
  started_ = true;
  // The loop thread does not run yet, so this thread may still touch the connection.
  if (xmpp_connect_client(conn_, "127.0.0.1", options_.port, &Callbacks::on_connection, this) !=
      XMPP_EOK) {
    std::lock_guard lock(mutex_);
    disconnected_ = true;
    return false;
  }
  loop_ = std::thread([this] { run_loop(); });
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return connected_ || disconnected_; });
  return connected_;
}

void StropheClient::run_loop() {
  const auto tick_ms = 5UL;
  for (;;) {
    std::vector<std::function<void()>> work;
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      work.swap(commands_);
      stopping = stop_;
    }
    for (auto& w : work) w();
    if (stopping) break;
    xmpp_run_once(ctx_, tick_ms);
  }
  // Leave politely: </stream:stream>, then a bounded wait for the server's close.
  if (xmpp_conn_is_connected(conn_) || xmpp_conn_is_connecting(conn_)) {
    xmpp_disconnect(conn_);
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    while (!disconnected() && Clock::now() < deadline) xmpp_run_once(ctx_, tick_ms);
  }
}

void StropheClient::post(std::function<void()> work) {
  std::lock_guard lock(mutex_);
  commands_.push_back(std::move(work));
}

void StropheClient::disconnect(std::chrono::milliseconds timeout) {
  post([this] { xmpp_disconnect(conn_); });
  wait_disconnected(timeout);
}

void StropheClient::send(const XmlNode& stanza) {
  post([this, stanza] {
    xmpp_stanza_t* s = to_stanza(ctx_, stanza, kNsClient);
    xmpp_send(conn_, s);
    xmpp_stanza_release(s);
  });
}

void StropheClient::send_raw(std::string bytes) {
  post([this, bytes = std::move(bytes)] { xmpp_send_raw(conn_, bytes.data(), bytes.size()); });
}

std::optional<XmlNode> StropheClient::wait_for(const Match& match,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    for (auto it = received_.begin(); it != received_.end(); ++it) {
      if (match(*it)) {
        XmlNode node = std::move(*it);
        received_.erase(it);
        return node;
      }
    }
    if (disconnected_) return std::nullopt;  // nothing more will come
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: the stanza may have arrived together with the timeout.
      for (auto it = received_.begin(); it != received_.end(); ++it) {
        if (match(*it)) {
          XmlNode node = std::move(*it);
          received_.erase(it);
          return node;
        }
      }
      return std::nullopt;
    }
  }
}

std::optional<XmlNode> StropheClient::iq(XmlNode request, std::chrono::milliseconds timeout) {
  if (!request.attr("id")) request.set("id", next_id());
  const std::string id = *request.attr("id");
  send(request);
  return wait_for(
      [&](const XmlNode& n) {
        const auto type = n.attr_or("type");
        return n.name() == "iq" && n.attr_or("id") == id && (type == "result" || type == "error");
      },
      timeout);
}

bool StropheClient::wait_disconnected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return disconnected_; });
}

bool StropheClient::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

bool StropheClient::disconnected() const {
  std::lock_guard lock(mutex_);
  return disconnected_;
}

std::string StropheClient::stream_error() const {
  std::lock_guard lock(mutex_);
  return stream_error_;
}

std::string StropheClient::bound_jid() const {
  std::lock_guard lock(mutex_);
  return bound_jid_;
}

std::string StropheClient::failure_description() const {
  std::lock_guard lock(mutex_);
  return "jid=" + options_.jid + " connected=" + std::to_string(connected_) +
         " disconnected=" + std::to_string(disconnected_) + " error=" + std::to_string(error_) +
         " stream_error='" + stream_error_ + "'";
}

std::string StropheClient::next_id() {
  std::lock_guard lock(mutex_);
  return "it-" + std::to_string(++id_counter_);
}

std::string StropheClient::dump_queue() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& n : received_) out += n.to_string() + "\n";
  return out;
}

}  // namespace parley::it
