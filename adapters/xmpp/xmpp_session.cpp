// XmppSession, part 1: I/O — the reader coroutine, the writer, timers, closing and the end of
// the session. Everything here runs on the session's strand.
#include "adapters/xmpp/xmpp_session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <exception>

#include "adapters/xmpp/server_context.hpp"
#include "adapters/xmpp/session_endpoint.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/log/log.hpp"

namespace parley::xmpp {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// How often a session that stopped reading for the archive's backlog looks again. A store job
// takes the whole backlog at once, so the flag clears in one step; 5 ms is small next to a
// batch's commit and costs 200 wake-ups a second per paused session.
constexpr auto kArchiveBackpressurePoll = std::chrono::milliseconds(5);

// The io thread's buffer for the rest of a plain TCP burst (see XmppSession::read_buffer_).
std::array<char, 16 * 1024>& thread_read_buffer() {
  thread_local std::array<char, 16 * 1024> buffer;
  return buffer;
}

}  // namespace

XmppSession::XmppSession(std::shared_ptr<ServerContext> server, Socket socket, Transport transport)
    : server_(std::move(server)),
      socket_(std::move(socket)),
      executor_(socket_.get_executor()),
      transport_(transport),
      session_id_(auth::random_id(12)),
      read_budget_(server_->config.read_rate_bytes_per_second, server_->config.read_burst_bytes,
                   Clock::now()),
      tick_timer_(executor_),
      close_timer_(executor_),
      drain_timer_(executor_),
      rate_timer_(executor_),
      resume_timer_(executor_),
      sm_(server_->config.max_unacked_stanzas) {
  error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) remote_ip_ = remote.address().to_string();
  // No Nagle: every write already carries everything queued (one write in flight), so Nagle
  // only delays a stanza until the peer's delayed ACK (~40 ms) when a second write follows the
  // first before the answer - several times in a login (features, SASL, bind).
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

XmppSession::~XmppSession() {
  if (parser_resting_) server_->resting_parsers.fetch_sub(1, std::memory_order_relaxed);
}

void XmppSession::start() {
  const auto now = Clock::now();
  last_read_ = now;
  last_write_ = now;
  handshake_deadline_ = now + server_->config.handshake_timeout;
  make_parser();
  PARLEY_LOG_INFO("xmpp", session_id_, "connect",
                  {{"ip", remote_ip_},
                   {"transport", transport_ == Transport::direct_tls ? "direct-tls" : "c2s"}});
  schedule_tick();
  auto self = shared_from_this();
  asio::co_spawn(executor_, read_loop(self), [self](std::exception_ptr error) {
    if (!error) return;
    // A broken invariant somewhere below the reader: end this session only.
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      PARLEY_LOG_ERROR("xmpp", self->session_id_, "reader_failed", {{"error", e.what()}});
    }
    self->close_socket();
    self->finish("internal error");
  });
}

// ---------------------------------------------------------------- thread-safe entry points

void XmppSession::request_close(api::CloseReason reason) {
  asio::post(executor_,
             [self = shared_from_this(), reason] { self->on_delivery(api::CloseRequest{reason}); });
}

// Deliveries and posted work each arrive as a separate handler on the strand. What they queue
// goes out in one write when the last of those queued has run: one sendmsg for a burst, and no
// flush handler posted behind each (with 1000 clients, one message per wake-up, that post was
// a second trip through the strand and the scheduler per message). A later handler counted in
// queued_batched_ is certain to run (asio runs every posted handler unless the io_context is
// destroyed), so "not the last" always leaves the write to someone.
template <typename Work>
void XmppSession::run_batched(Work&& work) {
  const bool last = queued_batched_.fetch_sub(1, std::memory_order_acq_rel) == 1;
  {
    batching_writes_ = true;
    struct Reset {
      bool& flag;
      ~Reset() { flag = false; }
    } reset{batching_writes_};
    work();
  }
  if (last) flush();
}

void XmppSession::post_delivery(api::Delivery delivery) {
  queued_batched_.fetch_add(1, std::memory_order_relaxed);
  asio::post(executor_, [self = shared_from_this(), delivery = std::move(delivery)]() mutable {
    self->run_batched([&] { self->on_delivery(std::move(delivery)); });
  });
}

SessionContext::Poster XmppSession::poster() {
  return
      [weak = weak_from_this(), executor = executor_](std::function<void(SessionContext&)> work) {
        auto session = weak.lock();
        if (!session) return;  // nothing would run it
        session->queued_batched_.fetch_add(1, std::memory_order_relaxed);
        asio::post(executor, [weak, work = std::move(work)]() mutable {
          if (auto self = weak.lock()) {
            self->run_batched([&] { self->run_posted(std::move(work)); });
          }
        });
      };
}

void XmppSession::run_posted(std::function<void(SessionContext&)> work) {
  if (handed_over_) {
    // XEP-0198: the answer belongs to the connection that resumed this session.
    if (auto successor = successor_.lock()) successor->poster()(std::move(work));
    return;
  }
  if (life_ == Life::ended) return;
  try {
    work(*this);
  } catch (const std::exception& e) {
    PARLEY_LOG_ERROR("xmpp", session_id_, "handler_failed", {{"error", e.what()}});
    close_stream(StreamError::internal_server_error);
  }
}

api::Core& XmppSession::core() {
  return server_->core;
}
api::StoreExecutor& XmppSession::store() {
  return server_->store;
}
api::CpuWork& XmppSession::cpu_work() {
  return server_->cpu_work;
}
const XmppConfig& XmppSession::config() const {
  return server_->config;
}
api::Rooms& XmppSession::rooms() {
  return server_->rooms;
}
api::MessageArchive& XmppSession::archive() {
  return server_->archive;
}
const std::string& XmppSession::muc_domain() const {
  return server_->muc_domain;
}

void XmppSession::set_flags(api::EndpointFlags flags) {
  flags_ = flags;
  if (stage_ == Stage::bound) server_->core.set_flags(full_, flags_);
}

// ---------------------------------------------------------------- reader

asio::awaitable<void> XmppSession::read_loop(std::shared_ptr<XmppSession> self) {
  // `self` lives in the coroutine frame: the session outlives its reader.
  [[maybe_unused]] const auto* keep_alive = self.get();
  if (transport_ == Transport::direct_tls) {
    // XEP-0368: the TLS handshake comes before the stream header.
    if (!co_await tls_handshake()) co_return;
  }
  error_code ec;
  socket_.non_blocking(true, ec);  // the burst read below must never block the thread
  while (life_ == Life::open || life_ == Life::closing) {
    if (!co_await wait_for_read_budget()) break;
    std::size_t limit = read_buffer_.size();
    if (!read_budget_.unlimited()) {
      limit = std::clamp<std::size_t>(read_budget_.available(Clock::now()), 1, limit);
    }
    std::size_t n = 0;
    auto buffer = asio::buffer(read_buffer_.data(), limit);
    if (tls_active_) {
      n = co_await tls_->async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      n = co_await socket_.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      on_connection_lost(ec);
      co_return;
    }
    consume_read(std::string_view(read_buffer_.data(), n));
    if (n == read_buffer_.size() && !tls_active_ && !starttls_requested_ && !socket_closed_) {
      // A full small buffer: more of a burst is likely waiting. Nothing suspends between this
      // read and its feed(), so the thread's buffer is ours alone.
      auto& burst = thread_read_buffer();
      const std::size_t room = read_budget_.unlimited()
                                   ? burst.size()
                                   : std::min(burst.size(), read_budget_.available(Clock::now()));
      if (room > 0) {
        n = socket_.read_some(asio::buffer(burst.data(), room), ec);
        if (!ec) {
          consume_read(std::string_view(burst.data(), n));
        } else if (ec != asio::error::would_block && ec != asio::error::try_again) {
          on_connection_lost(ec);
          co_return;
        }
      }
    }
    if (parser_rested_) {
      // Awake again: the pending tick may be a keepalive minutes away; bring the next rest in.
      parser_rested_ = false;
      schedule_tick();
    }
    if (starttls_requested_) {
      // RFC 6120 §5.4.3.3: <proceed/> goes out in the clear, then the handshake; whatever the
      // client sent after <starttls/> was discarded with the parser reset.
      starttls_requested_ = false;
      co_await wait_writes_drained();
      if (socket_closed_) break;
      if (!co_await tls_handshake()) co_return;
    }
  }
  if (life_ != Life::ended && life_ != Life::detached) on_connection_lost(asio::error::eof);
}

void XmppSession::consume_read(std::string_view bytes) {
  const auto now = Clock::now();
  last_read_ = now;
  read_budget_.consume(bytes.size(), now);
  if (parser_resting_) {
    parser_resting_ = false;  // feed() wakes it
    server_->resting_parsers.fetch_sub(1, std::memory_order_relaxed);
  }
  try {
    parser_->feed(bytes);
  } catch (const std::exception& e) {
    PARLEY_LOG_ERROR("xmpp", session_id_, "stanza_failed", {{"error", e.what()}});
    close_stream(StreamError::internal_server_error);
  }
}

asio::awaitable<bool> XmppSession::wait_for_read_budget() {
  for (;;) {
    if (socket_closed_) co_return false;
    auto delay = read_budget_.delay(Clock::now());
    // The archive's rows wait for the database past its high watermark: a bound session (one
    // that can send messages) stops reading until the store took the batch, so that archive
    // rows and compliance events are written, not dropped. Polled: the flag is one atomic load.
    if (delay == Clock::duration::zero() && stage_ == Stage::bound &&
        server_->archive.backlogged()) {
      delay = kArchiveBackpressurePoll;
    }
    if (delay == Clock::duration::zero()) co_return true;
    // Over the rate: stop reading for a while (TCP flow control slows the sender down).
    rate_timer_.expires_after(delay);
    error_code ec;
    co_await rate_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> XmppSession::wait_writes_drained() {
  while ((writing_ || !outbox_.empty()) && !socket_closed_) {
    drain_timer_.expires_at(Clock::time_point::max());
    error_code ec;
    co_await drain_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<bool> XmppSession::tls_handshake() {
  tls_handshaking_ = true;
  if (!tls_) tls_ = std::make_unique<Stream>(socket_, server_->tls);
  error_code ec;
  co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                 asio::redirect_error(asio::use_awaitable, ec));
  tls_handshaking_ = false;
  if (ec) {
    PARLEY_LOG_INFO("xmpp", session_id_, "tls_failed", {{"error", ec.message()}});
    clean_end_ = true;
    on_connection_lost(ec);
    co_return false;
  }
  tls_active_ = true;
  PARLEY_LOG_INFO("xmpp", session_id_, "tls",
                  {{"version", SSL_get_version(tls_->native_handle())},
                   {"cipher", SSL_get_cipher_name(tls_->native_handle())}});
  flush();
  co_return true;
}

bool XmppSession::expected_close_error(const error_code& ec) const {
  return ec == asio::error::eof || ec == asio::error::operation_aborted ||
         ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor ||
         ec == asio::error::not_connected || ec == asio::error::shut_down;
}

void XmppSession::on_connection_lost(const error_code& ec) {
  if (life_ == Life::ended || life_ == Life::detached) return;
  if (!expected_close_error(ec)) {
    PARLEY_LOG_WARN("xmpp", session_id_, "connection_error", {{"error", ec.message()}});
  }
  close_socket();
  // XEP-0198 §5: an unclean loss of a resumable session keeps it for resume_timeout.
  // A clean close (</stream:stream>, a stream error, unavailable presence) ends it.
  const bool resumable = stage_ == Stage::bound && !sm_id_.empty() && !clean_end_ &&
                         !sent_unavailable_ && life_ == Life::open && !handed_over_;
  if (resumable) {
    detach();
    return;
  }
  finish(peer_closed_ ? "closed by client" : (clean_end_ ? "closed" : "connection lost"));
}

// ---------------------------------------------------------------- writer

void XmppSession::enqueue_bytes(std::string bytes) {
  if (life_ == Life::ended || life_ == Life::detached || socket_closed_) return;
  outbox_.push(std::move(bytes));
  schedule_flush();
}

// Deliveries arrive as separate handlers on the session's strand: a flush posted behind them
// writes whatever they queued in one syscall instead of one each (1:1 traffic with many
// clients spent a third of its time in sendmsg). A write in flight takes the queue along
// when it completes anyway.
void XmppSession::schedule_flush() {
  if (writing_ || flush_scheduled_ || batching_writes_) return;  // run_batched() writes after
  flush_scheduled_ = true;
  asio::post(executor_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void XmppSession::flush() {
  if (writing_ || outbox_.empty() || tls_handshaking_ || socket_closed_) return;
  // Everything queued goes out in one write (one syscall / TLS record batch).
  writing_ = true;
  auto handler = [self = shared_from_this()](const error_code& ec, std::size_t) {
    self->on_written(ec);
  };
  if (tls_active_) {
    asio::async_write(*tls_, asio::buffer(outbox_.begin_joined_write()), std::move(handler));
  } else {
    asio::async_write(socket_, outbox_.begin_gather_write(), std::move(handler));
  }
}

void XmppSession::on_written(const error_code& ec) {
  writing_ = false;
  outbox_.end_write();
  if (ec) {
    if (!expected_close_error(ec)) {
      PARLEY_LOG_WARN("xmpp", session_id_, "write_error", {{"error", ec.message()}});
    }
    close_socket();  // the reader sees the abort and decides: detach or finish
    return;
  }
  last_write_ = Clock::now();
  if (!outbox_.empty()) {
    flush();
    return;
  }
  drain_timer_.cancel();
  if (close_after_write_) close_socket();
}

void XmppSession::close_socket() {
  if (socket_closed_) return;
  socket_closed_ = true;
  error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  tick_timer_.cancel();
  close_timer_.cancel();
  drain_timer_.cancel();
  rate_timer_.cancel();
}

// ---------------------------------------------------------------- timers

void XmppSession::schedule_tick() {
  if (life_ != Life::open || socket_closed_) return;
  const auto& config = server_->config;
  auto next = Clock::time_point::max();
  if (config.idle_timeout.count() > 0) next = std::min(next, last_read_ + config.idle_timeout);
  if (stage_ != Stage::bound) next = std::min(next, handshake_deadline_);
  if (config.keepalive_interval.count() > 0) {
    next = std::min(next, last_write_ + config.keepalive_interval);
  }
  if (config.parser_rest_after.count() > 0 && !parser_rested_) {
    next = std::min(next, last_read_ + config.parser_rest_after);
  }
  if (next == Clock::time_point::max()) return;
  tick_timer_.expires_at(next);
  tick_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->on_tick();
  });
}

void XmppSession::on_tick() {
  if (life_ != Life::open || socket_closed_) return;
  const auto& config = server_->config;
  const auto now = Clock::now();
  if (stage_ != Stage::bound && now >= handshake_deadline_) {
    // Not bound within handshake_timeout (RFC 6120 §4.9.3.4 connection-timeout).
    close_stream(StreamError::connection_timeout, "handshake timeout");
    return;
  }
  if (config.idle_timeout.count() > 0 && now >= last_read_ + config.idle_timeout) {
    close_stream(StreamError::connection_timeout, "idle timeout");
    return;
  }
  if (config.keepalive_interval.count() > 0 && now >= last_write_ + config.keepalive_interval) {
    // RFC 6120 §4.6.1 whitespace keepalive (only inside a stream); with XEP-0198 an ack
    // request serves the same purpose and also tells us what arrived.
    if (header_sent_ && !tls_handshaking_) {
      if (sm_enabled_ && sm_.has_unacked()) {
        request_ack();
      } else {
        enqueue_bytes(" ");
      }
    }
    last_write_ = now;
  }
  if (config.parser_rest_after.count() > 0 && !parser_rested_ &&
      now >= last_read_ + config.parser_rest_after) {
    // Never from inside the parser's callbacks: a tick is its own handler.
    parser_rested_ = true;
    parser_resting_ = parser_->hibernate();
    if (parser_resting_) server_->resting_parsers.fetch_add(1, std::memory_order_relaxed);
  }
  schedule_tick();
}

// ---------------------------------------------------------------- closing

void XmppSession::close_stream(std::optional<StreamError> error, std::string_view text) {
  if (life_ != Life::open) return;
  clean_end_ = true;
  if (tls_handshaking_ || (transport_ == Transport::direct_tls && !tls_active_) || socket_closed_) {
    close_socket();  // no stream to write to yet
    return;
  }
  if (!header_sent_) send_stream_header();  // RFC 6120 §4.9.1.1: error after our header
  if (error) {
    PARLEY_LOG_INFO("xmpp", session_id_, "stream_error",
                    {{"condition", std::string(mapping::xmpp::stream_error_name(*error))},
                     {"text", std::string(text)}});
    enqueue_bytes(mapping::xmpp::serialize_stream_error(*error, text));
  }
  enqueue_bytes(std::string(wire::kStreamClose));
  life_ = Life::closing;
  if (peer_closed_) {
    close_after_write_ = true;
    return;
  }
  // RFC 6120 §4.4: wait (bounded) for the peer's closing tag before closing TCP.
  close_timer_.expires_after(server_->config.close_timeout);
  close_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->close_socket();
  });
}

void XmppSession::on_stream_closed() {
  peer_closed_ = true;
  clean_end_ = true;
  if (life_ == Life::closing) {
    if (!writing_ && outbox_.empty()) {
      close_socket();
    } else {
      close_after_write_ = true;
    }
    return;
  }
  close_stream(std::nullopt);  // answers with our </stream:stream>, then closes
}

void XmppSession::finish(std::string_view reason) {
  if (life_ == Life::ended) return;
  life_ = Life::ended;
  close_socket();
  resume_timer_.cancel();
  if (!sm_id_.empty()) server_->sessions.remove_resumable(sm_id_, this);
  if (!handed_over_) {
    unbind_from_core();
    end_muc();  // XEP-0045 §7.14: the occupant leaves its rooms with the session
    // XEP-0198 §... : what the client never acknowledged is not lost.
    if (sm_enabled_) reroute_unacked();
  }
  PARLEY_LOG_INFO("xmpp", session_id_, "closed",
                  {{"reason", std::string(reason)}, {"jid", full_.to_string()}});
  server_->sessions.remove(this);
}

void XmppSession::unbind_from_core() {
  if (stage_ != Stage::bound || !endpoint_) return;
  server_->core.unbind(full_, endpoint_.get());
  endpoint_->retarget({});
  endpoint_.reset();
}

}  // namespace parley::xmpp
