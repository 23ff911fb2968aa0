// TCP/TLS connections of the SIP stack: framing, keepalive pong, bounded outbox, idle timeout,
// close after framing errors.
#include "adapters/sip/stream_connection.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <type_traits>

#include "adapters/sip/wire/error_response.hpp"
#include "adapters/sip/wire/stream_framer.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using TlsStream = asio::ssl::stream<tcp::socket>;

// After a framing error we answer, half-close, and wait this long for the peer to close.
constexpr std::chrono::seconds kLinger{2};
// How often a held connection asks its read gate again.
constexpr std::chrono::milliseconds kHoldPoll{5};

template <class Stream>
class BasicConnection final : public StreamConnection,
                              public std::enable_shared_from_this<BasicConnection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <class... StreamArgs>
  BasicConnection(Flow flow, StreamOptions options, std::shared_ptr<StreamSink> sink,
                  StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...),
        timer_(stream_.get_executor()),
        hold_timer_(stream_.get_executor()),
        flow_(std::move(flow)),
        options_(options),
        sink_(std::move(sink)),
        framer_(options.max_message_bytes) {}

  void start() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->deadline_ =
          Clock::now() + (kTls ? self->options_.handshake_timeout : self->options_.idle_timeout);
      self->arm_timer();
      if constexpr (kTls) {
        self->stream_.async_handshake(asio::ssl::stream_base::server, [self](const error_code& ec) {
          if (ec) {
            PARLEY_LOG_DEBUG("sip", self->flow_.to_string(), "tls_handshake_failed",
                             {{"error", ec.message()}});
            self->close_now();
            return;
          }
          self->touch();
          self->read_when_allowed();
        });
      } else {
        self->read_when_allowed();
      }
    });
  }

  void send(std::string bytes) override {
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this(), bytes = std::move(bytes)]() mutable {
                 self->enqueue(std::move(bytes));
               });
  }

  void close() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
  }

  const Flow& flow() const override { return flow_; }

 private:
  using Clock = std::chrono::steady_clock;

  tcp::socket& socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  void touch() {
    if (!closing_) deadline_ = Clock::now() + options_.idle_timeout;
  }

  // One timer, re-armed lazily: reads only move the deadline.
  void arm_timer() {
    timer_.expires_at(deadline_);
    timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (ec || self->closed_) return;
      if (Clock::now() >= self->deadline_) {
        PARLEY_LOG_DEBUG("sip", self->flow_.to_string(),
                         self->closing_ ? "linger_expired" : "idle_timeout", {});
        self->close_now();
        return;
      }
      self->arm_timer();
    });
  }

  void read() {
    stream_.async_read_some(asio::buffer(buffer_),
                            [self = this->shared_from_this()](const error_code& ec, std::size_t n) {
                              self->on_read(ec, n);
                            });
  }

  void on_read(const error_code& ec, std::size_t n) {
    if (closed_) return;
    if (ec) {
      close_now();
      return;
    }
    touch();
    if (closing_) {  // draining after an error: discard until the peer closes
      read();
      return;
    }
    std::string_view chunk(buffer_.data(), n);
    for (auto& event : framer_.feed(chunk)) {
      if (closed_ || closing_) break;
      if (auto* message = std::get_if<FramedMessage>(&event)) {
        if (auto sink = sink_.lock()) sink->on_stream_message(flow_, std::move(message->data));
      } else if (std::holds_alternative<KeepalivePing>(event)) {
        enqueue("\r\n");  // RFC 5626 §4.4.1 pong
      } else if (auto* error = std::get_if<FramingError>(&event)) {
        PARLEY_LOG_INFO("sip", flow_.to_string(), "framing_error",
                        {{"status", std::to_string(error->status)}, {"reason", error->reason}});
        // Best effort: the start of the offending message is usually in this chunk.
        if (auto response = make_error_response(chunk, ParseError{error->status, error->reason})) {
          enqueue(serialize(*response));
        }
        closing_ = true;
        deadline_ = Clock::now() + kLinger;
        arm_timer();  // the deadline moved earlier: restart the wait
        if (!writing_) finish_closing();
      }
    }
    if (!closed_) read_when_allowed();
  }

  // The peer is not idle while we hold it: the idle deadline moves with every poll.
  void read_when_allowed() {
    if (!options_.hold_reads || !options_.hold_reads()) {
      read();
      return;
    }
    hold_timer_.expires_after(kHoldPoll);
    hold_timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (ec || self->closed_) return;
      self->touch();
      self->read_when_allowed();
    });
  }

  void enqueue(std::string bytes) {
    if (closed_) return;
    if (outbox_.size() >= options_.outbox_high_watermark) {
      // The peer does not read: dropping it is better than growing without bound.
      PARLEY_LOG_WARN("sip", flow_.to_string(), "outbox_full",
                      {{"queued", std::to_string(outbox_.size())}});
      close_now();
      return;
    }
    outbox_.push_back(std::move(bytes));
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = true;
    asio::async_write(stream_, asio::buffer(outbox_.front()),
                      [self = this->shared_from_this()](const error_code& ec, std::size_t) {
                        self->writing_ = false;
                        if (self->closed_) return;
                        if (ec) {
                          self->close_now();
                          return;
                        }
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) {
                          self->write_next();
                        } else if (self->closing_) {
                          self->finish_closing();
                        }
                      });
  }

  // Half-close after the error answer is written, so the peer reads it before the FIN; the
  // read side drains until the peer closes or the linger expires.
  void finish_closing() {
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  void close_now() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    hold_timer_.cancel();
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);  // a pending write completes with operation_aborted
    if (auto sink = sink_.lock()) sink->on_stream_closed(flow_);
  }

  Stream stream_;
  asio::steady_timer timer_;
  asio::steady_timer hold_timer_;
  Flow flow_;
  StreamOptions options_;
  // Weak: the server keeps its connections, a connection must not keep the server alive.
  std::weak_ptr<StreamSink> sink_;
  StreamFramer framer_;
  std::array<char, 16 * 1024> buffer_{};
  std::deque<std::string> outbox_;
  Clock::time_point deadline_{};
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<StreamConnection> make_tcp_connection(tcp::socket socket, Flow flow,
                                                      StreamOptions options,
                                                      std::shared_ptr<StreamSink> sink) {
  return std::make_shared<BasicConnection<tcp::socket>>(std::move(flow), options, std::move(sink),
                                                        std::move(socket));
}

std::shared_ptr<StreamConnection> make_tls_connection(tcp::socket socket, asio::ssl::context& tls,
                                                      Flow flow, StreamOptions options,
                                                      std::shared_ptr<StreamSink> sink) {
  return std::make_shared<BasicConnection<TlsStream>>(std::move(flow), options, std::move(sink),
                                                      std::move(socket), tls);
}

}  // namespace parley::sip
